/**
 * opencode's config file code (src/node/opencodeConfigFile.ts with jsonc-parser, about a tenth of
 * the host bundle) is needed only when a push reads or writes a project's opencode.json, never to
 * activate. esbuild builds it as its own file, dist/opencodeConfigFile.js (esbuild.config.mjs), and
 * it is loaded here on first use: activation parses less.
 */
import type * as ConfigFile from './opencodeConfigFile';
import { lazyChunk } from './lazyChunk';

/** The module, from the chunk beside dist/extension.js (esbuild.config.mjs names the entry the same). */
export const opencodeConfigFile = lazyChunk<typeof ConfigFile>('opencodeConfigFile.js');
