import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as buildConfigModule from '../../esbuild.config.mjs';
import { repoRoot } from '../harness/tools';

describe('the VSIX', () => {
  it('carries every file the build writes to dist/ that the extension loads at run time', async () => {
    const root = repoRoot();
    const config = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as typeof buildConfigModule;
    const options = config.buildOptions({ root });
    const built = Object.values(options).flatMap((o) => Object.keys(o.entryPoints as Record<string, string>).map((name) => `dist/${name}.js`));
    assert.deepEqual(built.sort(), ['dist/extension.js', 'dist/opencodeConfigFile.js', 'dist/prerender.js', 'dist/start.js', 'dist/webview.js']);
    const kept = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1).trim());
    for (const file of [...built, 'dist/codicon.css']) assert.ok(kept.includes(file), `.vscodeignore keeps ${file}`);
  });
});
