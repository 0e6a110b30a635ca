/**
 * Figure 5, size half: the production bundles as `node esbuild.mjs --production` wrote them
 * (scripts/bench.mjs builds them in .bench/build/dist) and what the host bundle is made of.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as zlib from 'node:zlib';
import type * as buildConfig from '../../esbuild.config.mjs';

export interface BundleSize {
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface BundleResult {
  readonly host: BundleSize;
  readonly webview: BundleSize;
  /** Bundles loaded on first use, not at activation (dist/opencodeConfigFile.js), by file name. */
  readonly lazy: Readonly<Record<string, BundleSize>>;
  /** Bytes in the minified host bundle (dist/extension.js, what activation loads) per input package (`src`, `zod`, ...). */
  readonly hostBreakdown: Readonly<Record<string, number>>;
  /** The same build as esbuild.mjs (its options from esbuild.config.mjs), redone here: must equal `host.bytes`. */
  readonly replicaBytes: number;
}

function size(bytes: Uint8Array): BundleSize {
  return { bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes).length };
}

/** esbuild.mjs's host options for a production build in `root`, from esbuild.config.mjs (the file esbuild.mjs builds with). */
async function hostOptions(root: string): Promise<esbuild.BuildOptions> {
  const config = (await import(pathToFileURL(path.join(root, 'esbuild.config.mjs')).href)) as typeof buildConfig;
  return config.buildOptions({ production: true, root }).host;
}

/** The build's outputs: dist/extension.js first (the entry activation loads), then the chunks loaded on first use. */
async function buildJs(options: esbuild.BuildOptions): Promise<{ js: Uint8Array; metafile: esbuild.Metafile | undefined }> {
  const result = await esbuild.build({ ...options, write: false });
  const js = result.outputFiles?.find((f) => path.basename(f.path) === 'extension.js');
  if (js === undefined) throw new Error('esbuild produced no extension.js');
  return { js: js.contents, metafile: result.metafile };
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? input.split('/')[0] ?? input;
}

export async function benchBundles(root: string, dist: string): Promise<BundleResult> {
  const host = fs.readFileSync(path.join(dist, 'extension.js'));
  const webview = fs.readFileSync(path.join(dist, 'webview.js'));

  const replica = await buildJs(await hostOptions(root));
  const breakdown: Record<string, number> = {};
  for (const [file, output] of Object.entries(replica.metafile?.outputs ?? {})) {
    if (path.basename(file) !== 'extension.js') continue;
    for (const [input, info] of Object.entries(output.inputs)) {
      const key = packageOf(input);
      breakdown[key] = (breakdown[key] ?? 0) + info.bytesInOutput;
    }
  }

  const lazy: Record<string, BundleSize> = {};
  for (const file of fs.readdirSync(dist)) {
    if (file.endsWith('.js') && file !== 'extension.js' && file !== 'webview.js') lazy[file] = size(fs.readFileSync(path.join(dist, file)));
  }
  return {
    host: size(host),
    webview: size(webview),
    lazy,
    hostBreakdown: breakdown,
    replicaBytes: replica.js.length,
  };
}
