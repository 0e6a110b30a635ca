import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProviderOrigin } from '../../src/core/registry/registry';
import { RegistryTracker, type TrackedRegistry } from '../../src/core/registry/registryTracker';
import { FileWatcher, readRegistryFile } from '../../src/node/registryFile';
import { snapshotSchema } from '../../src/shared/catalog';
import { hostileFamily } from './family';

const entry = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  kind: 'llama-swap',
  baseUrl: `http://127.0.0.1:${8400 + id.length}`,
  ...extra,
});

/**
 * The registry's sources as RegistrySources wires them in the host, without VS Code: the file is
 * read and watched through its folder, and each read goes through the tracker that keeps the last
 * valid entries of each source.
 */
class RegistryRig {
  private readonly tracker = new RegistryTracker();
  private watcher: FileWatcher | undefined;
  private reads = 0;
  current: TrackedRegistry;

  constructor(readonly file: string, private readonly origin: ProviderOrigin = 'file') {
    this.current = this.tracker.compute(undefined, false);
  }

  async read(): Promise<TrackedRegistry> {
    this.tracker.update('file', await readRegistryFile(this.file, this.origin));
    this.current = this.tracker.compute(undefined, false);
    this.reads += 1;
    return this.current;
  }

  setSettings(value: unknown): TrackedRegistry {
    this.tracker.update('settings', { kind: 'json', value, where: 'Setting "boocode.providers"', origin: 'user-settings' });
    this.current = this.tracker.compute(undefined, false);
    return this.current;
  }

  watch(): void {
    this.watcher = new FileWatcher(this.file, () => void this.read(), 30);
  }

  /** Changes the file with `change`, then waits until the watcher has read it again. */
  async changeAndWait(change: () => void): Promise<TrackedRegistry> {
    const before = this.reads;
    change();
    const until = Date.now() + 5000;
    while (this.reads === before) {
      if (Date.now() > until) throw new Error('the watcher did not see the change');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.current;
  }

  ids(): string[] {
    return this.current.registry.providers.map((p) => p.id);
  }

  /** What the catalog would use: each provider's id and base URL. */
  endpoints(): string[] {
    return this.current.registry.providers.map((p) => `${p.id} ${p.baseUrl}`);
  }

  dispose(): void {
    this.watcher?.dispose();
  }
}

hostileFamily('registry', 'registry files and settings that are broken or hostile', function () {
  let dir: string;
  let file: string;
  let rig: RegistryRig;
  let lastValid: string[];
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-reg-'));
    file = path.join(dir, 'providers.json');
    write({ providers: [entry('sam-desktop'), entry('embedding')] });
    rig = new RegistryRig(file);
    await rig.read();
    assert.deepEqual(rig.ids(), ['sam-desktop', 'embedding']);
    lastValid = rig.endpoints();
  });
  afterEach(() => {
    rig.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(value: unknown): void {
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** A problem that fits the picker as it is: short enough and printable. */
  function assertShown(problem: string): void {
    // The picker shows problems as they are: each must fit the protocol, or the view would drop the snapshot.
    assert.ok(problem.length <= 2000, `fits the picker (${problem.length} characters)`);
    assert.ok(!/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/.test(problem), 'printable');
  }

  /** One problem, naming the file (and, when given, the entry and the field); the last valid registry stays. */
  function assertRefused(registry: TrackedRegistry, ...parts: RegExp[]): string {
    assert.equal(registry.problems.length, 1, JSON.stringify(registry.problems));
    const problem = registry.problems[0] ?? '';
    assert.ok(problem.includes(file), `names the file: ${problem}`);
    for (const part of parts) assert.match(problem, part);
    assert.match(problem, /The last valid registry stays in force\.$/);
    assert.deepEqual(rig.endpoints(), lastValid, 'the last valid registry, base URLs included, stays in force');
    assertShown(problem);
    return problem;
  }

  /**
   * One bad entry: one problem naming the file, the entry and the field; the entry costs only
   * itself (`inForce`: the provider ids the source then gives, each with its own base URL).
   */
  function assertEntryRefused(registry: TrackedRegistry, inForce: readonly string[], ...parts: RegExp[]): string {
    assert.equal(registry.problems.length, 1, JSON.stringify(registry.problems));
    const problem = registry.problems[0] ?? '';
    assert.ok(problem.includes(file), `names the file: ${problem}`);
    for (const part of parts) assert.match(problem, part);
    assert.match(problem, /(This entry is left out; the others are in force|Its last valid version stays in force)\.$/);
    assert.deepEqual(rig.endpoints(), inForce.map((id) => `${id} ${String(entry(id)['baseUrl'])}`), 'the other entries are in force');
    assertShown(problem);
    return problem;
  }

  /** Writes `value` over the registry the case started from, and reads it. */
  async function readOverStart(value: unknown): Promise<TrackedRegistry> {
    write({ providers: [entry('sam-desktop'), entry('embedding')] });
    await rig.read();
    write(value);
    return rig.read();
  }

  it('an unparsable (half-written) file: the message names the file and says why', async () => {
    write('{ "providers": [ { "id": "sam-desk');
    assertRefused(await rig.read(), /is not valid JSON/);
    write('');
    assertRefused(await rig.read(), /is not valid JSON/);
  });

  it('wrong types: the message names file, entry and field, and says what the field needs; the entry costs only itself', async () => {
    const cases: [unknown, readonly string[], RegExp][] = [
      [{ providers: [entry('sam-desktop'), entry('lab', { baseUrl: 42 })] }, ['sam-desktop'], /entry 2 \("lab"\), field "baseUrl": must be text, not a whole number/],
      [{ providers: [entry('lab', { kind: 'ollama' })] }, [], /entry 1 \("lab"\), field "kind": must be one of "llama-swap", "openai-compatible", "deepseek", not "ollama"/],
      [{ providers: [{ ...entry('lab'), id: 7 }, entry('embedding')] }, ['embedding'], /entry 1, field "id": must be text, not a whole number/],
      [{ providers: [entry('lab', { default: 'yes' })] }, [], /entry 1 \("lab"\), field "default": must be true or false, not text/],
      [{ providers: [entry('lab', { contextWindow: { qwen3: 'big' } })] }, [], /field "contextWindow.qwen3": must be a number, not text/],
      [{ providers: [entry('lab', { contextWindow: { qwen3: -5 } })] }, [], /field "contextWindow.qwen3": must be more than 0/],
      [{ providers: [entry('lab', { label: '' })] }, [], /field "label": must not be empty/],
      [{ providers: [null, entry('sam-desktop')] }, ['sam-desktop'], /entry 1, the entry must be an object, not null/],
      // An entry whose id the last valid registry has keeps that version, base URL included.
      [{ providers: [entry('sam-desktop', { kind: 'ollama' }), entry('embedding')] }, ['sam-desktop', 'embedding'], /entry 1 \("sam-desktop"\), field "kind".*Its last valid version stays in force\.$/],
    ];
    for (const [value, inForce, pattern] of cases) assertEntryRefused(await readOverStart(value), inForce, pattern);
    for (const [value, pattern] of [
      [{ providers: { 'sam-desktop': entry('sam-desktop') } }, /"providers" must be a list/],
      [[entry('lab')], /expected a JSON object \{"providers": \[\.\.\.\]\}/],
    ] as const) {
      assertRefused(await readOverStart(value), pattern);
    }
  });

  it('duplicate ids: the second entry is named, with the one it repeats, and only it is left out', async () => {
    write({ providers: [entry('lab'), entry('sam-desktop'), entry('lab', { baseUrl: 'http://127.0.0.1:1' })] });
    assertEntryRefused(await rig.read(), ['lab', 'sam-desktop'], /entry 3 \("lab"\), field "id": duplicates entry 1.*This entry is left out/);
  });

  it('an id with "/" (or other characters that would break provider/model ids) is refused', async () => {
    for (const id of ['sam/desktop', 'Sam', '-lead', 'a b', 'x'.repeat(65)]) {
      const problem = assertEntryRefused(await readOverStart({ providers: [entry(id), entry('embedding')] }), ['embedding'], /field "id": must be 1-64 characters of a-z, 0-9.*\(no "\/"\)/);
      assert.ok(problem.includes(`entry 1 ("${id.slice(0, 63)}`), problem);
    }
  });

  it('a base URL with a scheme other than http/https, or with user:password@, is refused', async () => {
    for (const [field, url] of [
      ['baseUrl', 'file:///etc/passwd'],
      ['baseUrl', 'javascript:alert(1)'],
      ['baseUrl', 'ftp://127.0.0.1/models'],
      ['baseUrl', 'data:text/html,<script>alert(1)</script>'],
      ['baseUrl', 'http://user:secret@127.0.0.1:8080'],
      ['baseUrl', '127.0.0.1:8080'],
      ['sidecarUrl', 'ws://127.0.0.1:8500/v1'],
    ] as const) {
      const problem = assertEntryRefused(
        await readOverStart({ providers: [entry('lab', { [field]: url }), entry('sam-desktop')] }),
        ['sam-desktop'],
        new RegExp(`entry 1 \\("lab"\\), field "${field}": must be an absolute http:// or https:// URL`),
      );
      assert.ok(!problem.includes('secret'), 'a password in a URL is not repeated');
    }
  });

  it('a field name or label built to flood or reorder the message is cut and made printable', async () => {
    write({ providers: [entry('lab', { ['k\u202E'.repeat(3000)]: 1, baseURL: 'x', 'label\u0007': 'y', extra: 1 })] });
    const problem = assertEntryRefused(await rig.read(), [], /entry 1 \("lab"\), unknown fields "k+…", "baseURL", "label" and 1 more/);
    assert.ok(problem.length < 400, problem);
    write({ providers: [entry('lab', { label: 'DeepSeek\u202E (local)' })] });
    assertEntryRefused(await rig.read(), [], /field "label": must not contain control or text-direction characters/);
    write({ providers: [{ ...entry('lab'), id: `lab\u202E${'x'.repeat(5000)}` }] });
    assert.ok(assertEntryRefused(await rig.read(), [], /entry 1 \("labx+…"\), field "id"/).length < 400);
  });

  it('entries named "__proto__" or "constructor" pollute nothing', async () => {
    write('{"providers": [{"id": "lab", "kind": "llama-swap", "baseUrl": "http://127.0.0.1:1", "__proto__": {"polluted": true}}]}');
    assertEntryRefused(await rig.read(), [], /unknown field "__proto__"/);
    write('{"providers": [{"id": "lab", "kind": "llama-swap", "baseUrl": "http://127.0.0.1:1", "contextWindow": {"__proto__": 5, "constructor": 7}}]}');
    const registry = await rig.read();
    assert.deepEqual(registry.problems, []);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(registry.registry.providers[0]?.contextWindow.get('constructor'), 7);
    assert.equal(registry.registry.providers[0]?.contextWindow.get('__proto__'), 5, 'a model may be called "__proto__"');
    assert.equal(registry.registry.providers[0]?.contextWindow.get('toString'), undefined, 'and "toString" is no window');
  });

  it('a file saved with a byte-order mark is read like any other', async () => {
    write(`\uFEFF${JSON.stringify({ providers: [entry('lab')] })}`);
    const registry = await rig.read();
    assert.deepEqual(registry.problems, []);
    assert.deepEqual(rig.ids(), ['lab']);
  });

  it('a file larger than 1 MB, or a folder in its place, is refused by name', async () => {
    write({ providers: [entry('lab', { label: 'x' })], padding: 'p'.repeat(1024 * 1024) });
    assertRefused(await rig.read(), /is larger than 1 MB/);
    fs.rmSync(file);
    fs.mkdirSync(file);
    assertRefused(await rig.read(), /is not a file/);
  });

  it('the file deleted while watched: a message naming it, and the last valid registry stays; re-created, it is read', async () => {
    rig.watch();
    assertRefused(await rig.changeAndWait(() => fs.rmSync(file)), /does not exist/);
    const back = await rig.changeAndWait(() => write({ providers: [entry('lab')] }));
    assert.deepEqual(back.problems, []);
    assert.deepEqual(rig.ids(), ['lab']);
  });

  it('the file replaced while watched (written elsewhere, renamed over it): broken, then fixed', async () => {
    rig.watch();
    const replace = (value: unknown) => () => {
      const temp = path.join(dir, '.providers.json.swp');
      fs.writeFileSync(temp, JSON.stringify(value));
      fs.renameSync(temp, file);
    };
    assertEntryRefused(await rig.changeAndWait(replace({ providers: [entry('lab', { baseUrl: 'gopher://x' })] })), [], /field "baseUrl"/);
    const fixed = await rig.changeAndWait(replace({ providers: [entry('lab')] }));
    assert.deepEqual(fixed.problems, []);
    assert.deepEqual(rig.ids(), ['lab']);
  });

  it('a broken settings value next to a good file: each source keeps its own last valid entries', async () => {
    rig.setSettings([entry('box')]);
    assert.deepEqual(rig.ids(), ['sam-desktop', 'embedding', 'box']);
    const broken = rig.setSettings([entry('box', { kind: 'llama' })]);
    assert.deepEqual(rig.ids(), ['sam-desktop', 'embedding', 'box'], 'nothing was lost');
    assert.match(broken.problems[0] ?? '', /^Setting "boocode.providers": entry 1 \("box"\), field "kind": must be one of/);
    write('{');
    const both = await rig.read();
    assert.equal(both.problems.length, 2);
    assert.deepEqual(rig.ids(), ['sam-desktop', 'embedding', 'box']);
  });

  it('one bad entry (a URL with user:password@) read by a new window costs only itself, with a message without the password', () => {
    // A window that starts (or reloads) with no last valid value: before, the whole source was refused.
    const fresh = new RegistryTracker();
    fresh.update('settings', {
      kind: 'json',
      value: [entry('box'), entry('lab', { baseUrl: 'http://user:hunter2@127.0.0.1:9' }), entry('embedding')],
      where: 'Setting "boocode.providers"',
      origin: 'user-settings',
    });
    const registry = fresh.compute(undefined, false);
    assert.deepEqual(registry.registry.providers.map((p) => p.id), ['box', 'embedding'], 'the other providers of the source stay');
    assert.equal(registry.problems.length, 1);
    assert.match(registry.problems[0] ?? '', /^Setting "boocode.providers": entry 2 \("lab"\), field "baseUrl": must be an absolute http:\/\/ or https:\/\/ URL without user:password@\. This entry is left out; the others are in force\.$/);
    assert.ok(!JSON.stringify(registry).includes('hunter2'), 'the password is nowhere');
  });

  it('a bad entry keeps its last valid version only while its source keeps its origin', () => {
    const tracker = new RegistryTracker();
    const settings = (value: unknown, origin: ProviderOrigin): TrackedRegistry => {
      tracker.update('settings', { kind: 'json', value, where: 'Setting "boocode.providers"', origin });
      return tracker.compute(undefined, false);
    };
    settings([entry('lab')], 'workspace-settings');
    const kept = settings([entry('lab', { baseUrl: 'gopher://x' })], 'workspace-settings');
    assert.deepEqual(kept.registry.providers.map((p) => [p.id, p.baseUrl, p.origin]), [['lab', entry('lab')['baseUrl'], 'workspace-settings']]);
    // The user's own value now: a version the workspace wrote must not stand in as the user's.
    const dropped = settings([entry('lab', { baseUrl: 'gopher://x' })], 'user-settings');
    assert.deepEqual(dropped.registry.providers, []);
    assert.match(dropped.problems[0] ?? '', /This entry is left out/);
  });

  it('a source with many bad entries gets five messages and a count', () => {
    const tracker = new RegistryTracker();
    tracker.update('settings', {
      kind: 'json',
      value: [entry('box'), ...Array.from({ length: 500 }, (_, i) => entry(`bad${i}`, { kind: 'ollama' }))],
      where: 'Setting "boocode.providers"',
      origin: 'user-settings',
    });
    const registry = tracker.compute(undefined, false);
    assert.deepEqual(registry.registry.providers.map((p) => p.id), ['box']);
    assert.equal(registry.problems.length, 6);
    assert.equal(registry.problems[5], 'Setting "boocode.providers": 495 more entries are not valid.');
  });

  it('every registry problem fits what the picker accepts', async () => {
    write({ providers: [entry('lab', { ['x'.repeat(10_000)]: 1 })] });
    const registry = await rig.read();
    const parsed = snapshotSchema.safeParse({
      favorites: [],
      groups: [],
      hiddenFavorites: 0,
      sync: { mode: 'local', state: 'local', pending: 0 },
      registryProblems: registry.problems,
      actions: [],
    });
    assert.ok(parsed.success, 'the view would drop a snapshot carrying this problem');
  });
});
