import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(rel, pattern));
    else if (pattern.test(entry.name)) out.push(rel);
  }
  return out;
}

describe('source layout', () => {
  it('keeps under src/vscode only files that need vscode; the rest live in core, shared, http or node', () => {
    const strays = filesUnder('src/vscode', /\.ts$/).filter(
      (file) => !/from 'vscode';|import \* as vscode from 'vscode'/.test(fs.readFileSync(path.join(root, file), 'utf8')),
    );
    assert.deepEqual(strays, []);
  });

  it('reads boocode.* settings only through src/vscode/settings.ts', () => {
    const readers = filesUnder('src', /\.tsx?$/).filter(
      (file) => file !== path.join('src', 'vscode', 'settings.ts') && /getConfiguration\(\s*('boocode'|"boocode"|Settings\.section)/.test(fs.readFileSync(path.join(root, file), 'utf8')),
    );
    assert.deepEqual(readers, []);
  });

  it('trims trailing slashes from URLs only through src/core/common/url.ts', () => {
    const trimmers = filesUnder('src', /\.tsx?$/).filter(
      (file) => file !== path.join('src', 'core', 'common', 'url.ts') && /replace\(\/\\\/\+\$\//.test(fs.readFileSync(path.join(root, file), 'utf8')),
    );
    assert.deepEqual(trimmers, []);
  });

  it('keeps every file of the test harnesses (test/harness, test/webview) under 400 lines', () => {
    const long = ['test/harness', 'test/webview']
      .flatMap((dir) => filesUnder(dir, /\.ts$/))
      .map((file) => ({ file, lines: fs.readFileSync(path.join(root, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 400);
    assert.deepEqual(long, []);
  });
});
