/**
 * opencode's config file code (src/node/opencodeConfigFile.ts with jsonc-parser, about a tenth of
 * the host bundle) is needed only when a push reads or writes a project's opencode.json, never to
 * activate. esbuild builds it as its own file, dist/opencodeConfigFile.js (esbuild.config.mjs), and
 * it is loaded here on first use: activation parses less.
 */
import type * as ConfigFile from './opencodeConfigFile';

/** The built chunk's name beside dist/extension.js; esbuild.config.mjs names the entry the same. */
export const OPENCODE_CONFIG_CHUNK = 'opencodeConfigFile.js';

let loaded: typeof ConfigFile | undefined;

export function opencodeConfigFile(): typeof ConfigFile {
  // Not a literal: esbuild leaves the require to run time, where __dirname is the bundle's folder.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(`${__dirname}/${OPENCODE_CONFIG_CHUNK}`) as typeof ConfigFile;
  return loaded;
}
