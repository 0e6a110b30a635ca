/**
 * A file esbuild builds beside dist/extension.js as an entry of its own (esbuild.config.mjs), loaded
 * on first use rather than at activation: opencodeConfigChunk.ts, prerenderChunk.ts.
 */
export function lazyChunk<T>(file: string): () => T {
  let loaded: T | undefined;
  return () => {
    // Not a literal: esbuild leaves the require to run time, where __dirname is the bundle's folder.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded ??= require(`${__dirname}/${file}`) as T;
    return loaded;
  };
}
