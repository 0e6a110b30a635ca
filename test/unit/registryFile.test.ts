import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryTracker } from '../../src/core/registry/registryTracker';
import { FileWatcher, readRegistryFile, resolveRegistryPath } from '../../src/node/registryFile';

describe('registry file: reading, watching, last valid registry', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-reg-'));
    file = path.join(dir, 'providers.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (value: unknown): void => fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  const entry = (id: string) => ({ id, kind: 'llama-swap', baseUrl: 'http://127.0.0.1:1' });

  async function providersAfterReading(tracker: RegistryTracker): Promise<string[]> {
    tracker.update('file', await readRegistryFile(file, 'file'));
    return tracker.compute(undefined, false).registry.providers.map((p) => p.id);
  }

  it('resolves absolute, ~/ and workspace-relative paths', () => {
    assert.equal(resolveRegistryPath('/etc/fleet.json', undefined), '/etc/fleet.json');
    assert.equal(resolveRegistryPath('~/fleet.json', undefined), path.join(os.homedir(), 'fleet.json'));
    assert.equal(resolveRegistryPath('config/fleet.json', '/work/ws'), '/work/ws/config/fleet.json');
    assert.equal(resolveRegistryPath('config/fleet.json', undefined), undefined);
    assert.equal(resolveRegistryPath('  ', '/w'), undefined);
  });

  it('keeps the last valid registry while the file is broken, missing or half written, with a message naming the file', async () => {
    const tracker = new RegistryTracker();
    write({ providers: [entry('sam-desktop'), entry('embedding')] });
    assert.deepEqual(await providersAfterReading(tracker), ['sam-desktop', 'embedding']);

    write('{ "providers": [ {"id": "sam-desk');
    assert.deepEqual(await providersAfterReading(tracker), ['sam-desktop', 'embedding']);
    assert.match(tracker.compute(undefined, false).problems[0] ?? '', new RegExp(`${file}.*not valid JSON.*last valid registry`));

    // A bad entry costs only itself: the file now lists sam-desktop and x, and x is left out.
    write({ providers: [entry('sam-desktop'), { ...entry('x'), baseUrl: 'file:///etc/passwd' }] });
    assert.deepEqual(await providersAfterReading(tracker), ['sam-desktop']);
    assert.match(tracker.compute(undefined, false).problems[0] ?? '', /entry 2 \("x"\), field "baseUrl".*This entry is left out; the others are in force\.$/);

    fs.rmSync(file);
    assert.deepEqual(await providersAfterReading(tracker), ['sam-desktop']);
    assert.match(tracker.compute(undefined, false).problems[0] ?? '', /does not exist/);

    write({ providers: [entry('embedding')] });
    assert.deepEqual(await providersAfterReading(tracker), ['embedding']);
    assert.deepEqual(tracker.compute(undefined, false).problems, []);
  });

  it('sees edits in place, atomic replacement by rename, and deletion then re-creation', async () => {
    write({ providers: [] });
    let changes = 0;
    const watcher = new FileWatcher(file, () => (changes += 1), 30);
    const waitForChange = async (before: number): Promise<void> => {
      const until = Date.now() + 3000;
      while (changes === before) {
        if (Date.now() > until) throw new Error('no change event');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      let before = changes;
      write({ providers: [entry('a')] });
      await waitForChange(before);
      before = changes;
      const temp = path.join(dir, '.providers.json.tmp');
      fs.writeFileSync(temp, JSON.stringify({ providers: [entry('b')] }));
      fs.renameSync(temp, file);
      await waitForChange(before);
      before = changes;
      fs.rmSync(file);
      write({ providers: [entry('c')] });
      await waitForChange(before);
      before = changes;
      fs.writeFileSync(path.join(dir, 'unrelated.json'), '{}');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(changes, before, 'other files in the folder do not count');
    } finally {
      watcher.dispose();
    }
  });
});
