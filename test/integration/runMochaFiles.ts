/**
 * `run()` for an extension-host suite: every `*.test.js` beside the entry, in name order. The
 * contract is shared by @vscode/test-electron and the code-server runner (test/harness), so the
 * same suites run in desktop VS Code and in code-server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function runMochaFiles(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec' });
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed.`)) : resolve()));
  });
}
