/**
 * Figure 5, size half: the production bundles as `node esbuild.mjs --production` wrote them
 * (scripts/bench.mjs builds them in .bench/build/dist), what the host bundle is made of, and what it would weigh with undici left out: (a) undici
 * external, shipped in the VSIX as node_modules/undici; (b) Node's built-in fetch (`undici`
 * resolved to the adapter in undiciOnFetch.ts, so every user of undici's request() is covered).
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export interface BundleSize {
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface BundleResult {
  readonly host: BundleSize;
  readonly webview: BundleSize;
  /** Bytes in the minified host bundle per input package (`src`, `undici`, `zod`, ...). */
  readonly hostBreakdown: Readonly<Record<string, number>>;
  /** The same build as esbuild.mjs, redone here: must equal `host.bytes`. */
  readonly replicaBytes: number;
  readonly undiciExternal: BundleSize & {
    /** node_modules/undici as installed: every file, and only the runtime .js/.json (no docs, types). */
    readonly packageBytes: number;
    readonly packageDeflatedBytes: number;
    readonly runtimeBytes: number;
    readonly runtimeDeflatedBytes: number;
    readonly runtimeFiles: number;
  };
  /** Not measurable when src/http uses more of undici than the adapter offers. */
  readonly builtinFetch: BundleSize | { readonly error: string };
}

function size(bytes: Uint8Array): BundleSize {
  return { bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes).length };
}

/** esbuild.mjs's host options (kept in step by hand; benchBundles checks the result against dist). */
function hostOptions(root: string): esbuild.BuildOptions {
  return {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
  };
}

async function buildJs(options: esbuild.BuildOptions): Promise<{ js: Uint8Array; metafile: esbuild.Metafile | undefined }> {
  const result = await esbuild.build({ ...options, write: false });
  const js = result.outputFiles?.find((f) => f.path.endsWith('.js'));
  if (js === undefined) throw new Error('esbuild produced no .js');
  return { js: js.contents, metafile: result.metafile };
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? input.split('/')[0] ?? input;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

export async function benchBundles(root: string, dist: string): Promise<BundleResult> {
  const host = fs.readFileSync(path.join(dist, 'extension.js'));
  const webview = fs.readFileSync(path.join(dist, 'webview.js'));

  const replica = await buildJs(hostOptions(root));
  const breakdown: Record<string, number> = {};
  for (const output of Object.values(replica.metafile?.outputs ?? {})) {
    for (const [input, info] of Object.entries(output.inputs)) {
      const key = packageOf(input);
      breakdown[key] = (breakdown[key] ?? 0) + info.bytesInOutput;
    }
  }

  const base = hostOptions(root);
  const external = await buildJs({ ...base, external: ['vscode', 'undici'] });
  const undiciDir = path.join(root, 'node_modules', 'undici');
  let packageBytes = 0;
  let packageDeflatedBytes = 0;
  let runtimeBytes = 0;
  let runtimeDeflatedBytes = 0;
  let runtimeFiles = 0;
  for (const file of walk(undiciDir)) {
    const data = fs.readFileSync(file);
    const deflated = zlib.deflateRawSync(data).length;
    packageBytes += data.length;
    packageDeflatedBytes += deflated;
    const rel = path.relative(undiciDir, file);
    if ((rel.endsWith('.js') || rel === 'package.json') && !rel.startsWith('docs') && !rel.startsWith('types')) {
      runtimeBytes += data.length;
      runtimeDeflatedBytes += deflated;
      runtimeFiles += 1;
    }
  }

  // Node's built-in fetch: `undici` resolved to a small adapter with request()'s shape over fetch.
  const adapter = path.join(root, 'test', 'bench', 'undiciOnFetch.ts');
  let builtinFetch: BundleSize | { error: string };
  try {
    const built = await buildJs({
      ...base,
      plugins: [
        {
          name: 'undici-on-builtin-fetch',
          setup(build) {
            build.onResolve({ filter: /^undici$/ }, () => ({ path: adapter }));
          },
        },
      ],
    });
    builtinFetch = size(built.js);
  } catch (error) {
    builtinFetch = { error: error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error) };
  }

  return {
    host: size(host),
    webview: size(webview),
    hostBreakdown: breakdown,
    replicaBytes: replica.js.length,
    undiciExternal: { ...size(external.js), packageBytes, packageDeflatedBytes, runtimeBytes, runtimeDeflatedBytes, runtimeFiles },
    builtinFetch,
  };
}
