/**
 * What a user can have in the workspace's opencode.json(c) when BooCode writes its providers into
 * it: every encoding and line ending, links, comments only, duplicate keys, and their own fields
 * under a provider the registry also has. Nothing they wrote is lost or silently ignored; a file
 * that cannot be edited safely is left byte for byte as it was, with the reason.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { findNodeAtLocation, getNodeValue, parseTree, type ParseError } from 'jsonc-parser';
import type { OpencodeBridge } from '../../src/core/push/opencodeBridge';
import { writeBridgeToWorkspace } from '../../src/node/opencodeConfigFile';
import { hostileFamily } from './family';

const bridge: OpencodeBridge = {
  enabled_providers: ['sam-desktop', 'embedding'],
  provider: {
    'sam-desktop': {
      npm: '@ai-sdk/openai-compatible',
      name: 'sam-desktop',
      options: { baseURL: 'http://127.0.0.1:8400/v1', apiKey: 'none' },
      models: { 'Qwen/Qwen3-8B': { name: 'Qwen3 8B', limit: { context: 32768, output: 8192 } } },
    },
    embedding: { npm: '@ai-sdk/openai-compatible', name: 'embedding', options: { baseURL: 'http://127.0.0.1:8411/v1', apiKey: 'none' }, models: { qwen3: { name: 'qwen3' } } },
  },
};

const USER = '{\n  // mine\n  "theme": "tokyonight",\n  "provider": { "mine": { "options": { "baseURL": "http://127.0.0.1:9/v1" } } }\n}\n';

/** The file's value as opencode reads it (JSON with comments; the last of duplicate keys wins). */
function valueAt(text: string, keyPath: (string | number)[]): unknown {
  const errors: ParseError[] = [];
  const root = parseTree(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true });
  assert.deepEqual(errors, [], `opencode can read it:\n${text}`);
  const node = root === undefined ? undefined : findNodeAtLocation(root, keyPath);
  // Plain objects, to compare with what the test wrote (jsonc-parser gives null-prototype ones).
  return node === undefined ? undefined : (JSON.parse(JSON.stringify(getNodeValue(node))) as unknown);
}

/** opencode reads every field the registry sets for its providers. */
function assertBridged(text: string): void {
  for (const [id, provider] of Object.entries(bridge.provider)) {
    assert.deepEqual(
      [valueAt(text, ['provider', id, 'npm']), valueAt(text, ['provider', id, 'name']), valueAt(text, ['provider', id, 'options', 'baseURL']), valueAt(text, ['provider', id, 'options', 'apiKey'])],
      [provider.npm, provider.name, provider.options.baseURL, provider.options.apiKey],
    );
    for (const [model, config] of Object.entries(provider.models)) {
      assert.deepEqual(valueAt(text, ['provider', id, 'models', model, 'name']), config.name);
      if (config.limit) assert.deepEqual(valueAt(text, ['provider', id, 'models', model, 'limit']), config.limit);
    }
  }
}

hostileFamily('opencode config', "BooCode's providers go into the user's opencode.json, and nothing of theirs is lost", function () {
  let dir: string;
  const file = (name = 'opencode.json'): string => path.join(dir, name);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-occ-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes, expects a refusal naming `reason`, and checks that not a byte changed and no file was added. */
  function assertRefused(reason: RegExp, paths: string[] = [file()]): void {
    const before = paths.map((p) => (fs.existsSync(p) ? fs.readFileSync(p) : undefined));
    const listing = fs.readdirSync(dir).sort();
    const written = writeBridgeToWorkspace(dir, bridge);
    assert.equal(written.ok, false, 'refused');
    assert.match(written.ok ? '' : written.reason, reason);
    paths.forEach((p, i) => assert.deepEqual(fs.existsSync(p) ? fs.readFileSync(p) : undefined, before[i], `${p} unchanged`));
    assert.deepEqual(fs.readdirSync(dir).sort(), listing, 'no file added');
  }

  it('a UTF-8 file with a byte-order mark stays UTF-8 with the mark', () => {
    fs.writeFileSync(file(), `\uFEFF${USER}`, 'utf8');
    const written = writeBridgeToWorkspace(dir, bridge);
    assert.equal(written.ok, true, JSON.stringify(written));
    const bytes = fs.readFileSync(file());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    assert.ok(!text.slice(1).includes('\uFEFF') && text.includes('// mine'));
    assertBridged(text);
  });

  it('UTF-16 files (little- and big-endian, with their mark) are edited and stay UTF-16', () => {
    for (const [name, mark] of [['le', [0xff, 0xfe]], ['be', [0xfe, 0xff]]] as const) {
      const le = Buffer.from(`${USER}`, 'utf16le');
      const body = name === 'le' ? le : Buffer.from(le).swap16();
      fs.writeFileSync(file(), Buffer.concat([Buffer.from(mark), body]));
      const written = writeBridgeToWorkspace(dir, bridge);
      assert.equal(written.ok, true, `${name}: ${JSON.stringify(written)}`);
      const bytes = fs.readFileSync(file());
      assert.deepEqual([...bytes.subarray(0, 2)], [...mark], `${name}: the mark stays`);
      const rest = bytes.subarray(2);
      const text = (name === 'le' ? rest : Buffer.from(rest).swap16()).toString('utf16le');
      assert.ok(text.includes('// mine'));
      assertBridged(text);
    }
  });

  it('bytes that are not UTF-8, UTF-32, or UTF-16 without a mark: refused, not a byte changed', () => {
    fs.writeFileSync(file(), Buffer.concat([Buffer.from('{"theme": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    assertRefused(/not UTF-8 text/);
    fs.writeFileSync(file(), Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('{\0\0\0}\0\0\0', 'latin1')]));
    assertRefused(/UTF-32/);
    fs.writeFileSync(file(), Buffer.from('{"theme": "x"}', 'utf16le'));
    assertRefused(/NUL characters/);
  });

  it('CRLF and CR-only files keep their line endings', () => {
    for (const eol of ['\r\n', '\r']) {
      fs.writeFileSync(file(), USER.replace(/\n/g, eol));
      const written = writeBridgeToWorkspace(dir, bridge);
      assert.equal(written.ok, true, JSON.stringify(written));
      const text = fs.readFileSync(file(), 'utf8');
      const others = text.replace(new RegExp(eol, 'g'), '');
      assert.ok(!/[\r\n]/.test(others), `only ${JSON.stringify(eol)} line endings:\n${JSON.stringify(text)}`);
      assertBridged(text);
    }
  });

  it('a file of comments only keeps them and gets the providers after them', () => {
    for (const notes of ['// our opencode notes: fill in later', '/* team config */\n', '// a\n// b\n\n']) {
      fs.writeFileSync(file(), notes);
      const written = writeBridgeToWorkspace(dir, bridge);
      assert.equal(written.ok, true, JSON.stringify(written));
      const text = fs.readFileSync(file(), 'utf8');
      assert.ok(text.startsWith(notes), `the notes stay first:\n${text}`);
      assertBridged(text);
    }
  });

  it('a link to a file in the folder stays a link and its target is edited; a link out of the folder or to nothing is refused', () => {
    fs.mkdirSync(path.join(dir, 'config'));
    const real = path.join(dir, 'config', 'shared.jsonc');
    fs.writeFileSync(real, USER);
    fs.symlinkSync(path.join('config', 'shared.jsonc'), file());
    const written = writeBridgeToWorkspace(dir, bridge);
    assert.equal(written.ok, true, JSON.stringify(written));
    assert.ok(fs.lstatSync(file()).isSymbolicLink(), 'still a link');
    assertBridged(fs.readFileSync(real, 'utf8'));
    assert.ok(fs.readFileSync(real, 'utf8').includes('// mine'));

    fs.rmSync(file());
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-occ-global-'));
    try {
      const global = path.join(outside, 'opencode.json');
      fs.writeFileSync(global, USER);
      fs.symlinkSync(global, file());
      assertRefused(/is a link to .*outside this workspace folder/, [global]);
      fs.rmSync(file());
      fs.symlinkSync(path.join(outside, 'missing.json'), file());
      assertRefused(/is a link to .*missing\.json, which does not exist/);
      assert.ok(!fs.existsSync(path.join(outside, 'missing.json')), 'nothing created at the target');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a file with other names (hard links): every name sees the change', () => {
    fs.writeFileSync(file(), USER);
    fs.linkSync(file(), path.join(dir, 'also.json'));
    assert.equal(writeBridgeToWorkspace(dir, bridge).ok, true);
    assertBridged(fs.readFileSync(path.join(dir, 'also.json'), 'utf8'));
  });

  it('duplicate keys on a path it edits (opencode reads the last, an edit lands on the first): refused, naming the key and line', () => {
    fs.writeFileSync(file(), '{\n  "provider": { "mine": {} },\n  "theme": "x",\n  "provider": { "other": {} }\n}\n');
    assertRefused(/provider is written twice \(again on line 4\)/);
    fs.writeFileSync(file(), '{ "provider": {\n  "embedding": { "name": "a" },\n  "embedding": { "name": "b" } } }');
    assertRefused(/provider\.embedding is written twice \(again on line 3\)/);
    fs.writeFileSync(file(), '{ "provider": { "sam-desktop": { "models": { "Qwen/Qwen3-8B": {}, "Qwen/Qwen3-8B": { "name": "x" } } } } }');
    assertRefused(/provider\["sam-desktop"\]\.models\["Qwen\/Qwen3-8B"\] is written twice/);
    // A duplicate the edit does not touch is the user's business, and stays.
    fs.writeFileSync(file(), '{ "theme": "a", "theme": "b" }');
    assert.equal(writeBridgeToWorkspace(dir, bridge).ok, true);
    assert.match(fs.readFileSync(file(), 'utf8'), /"theme": "a",\s*"theme": "b"/);
  });

  it("the user's own fields under a registry provider stay; the values the registry sets are named when they change", () => {
    const mine = {
      provider: {
        embedding: {
          options: { baseURL: 'http://old.invalid/v1', headers: { 'X-Team': 'a' }, timeout: 600000 },
          models: { qwen3: { name: 'qwen3', reasoning: true, options: { temperature: 0.2 } }, 'my-extra': { name: 'Mine' } },
          whitelist: ['qwen3'],
        },
        'sam-desktop': { options: null },
      },
    };
    fs.writeFileSync(file(), JSON.stringify(mine, null, 2));
    const written = writeBridgeToWorkspace(dir, bridge);
    assert.ok(written.ok, JSON.stringify(written));
    assert.deepEqual(written.replaced, ['provider["sam-desktop"].options', 'provider.embedding.options.baseURL']);
    const text = fs.readFileSync(file(), 'utf8');
    assert.deepEqual(valueAt(text, ['provider', 'embedding']), {
      options: { baseURL: 'http://127.0.0.1:8411/v1', headers: { 'X-Team': 'a' }, timeout: 600000, apiKey: 'none' },
      models: { qwen3: { name: 'qwen3', reasoning: true, options: { temperature: 0.2 } }, 'my-extra': { name: 'Mine' } },
      whitelist: ['qwen3'],
      npm: '@ai-sdk/openai-compatible',
      name: 'embedding',
    });
    assert.deepEqual(valueAt(text, ['provider', 'sam-desktop']), { ...bridge.provider['sam-desktop'] });
  });

  it('random configs: every value the user wrote outside the fields the registry sets survives, and opencode reads the registry', () => {
    const key = fc.oneof(fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf', 'a.b', 'Qwen/Qwen3-8B', 'ü'), fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__'));
    const value = fc.jsonValue({ maxDepth: 2 });
    const extras = fc.dictionary(key, value, { maxKeys: 4 });
    const user = fc.record({
      root: extras,
      embedding: fc.record({ top: extras, options: extras, model: extras }),
      eol: fc.constantFrom('\n', '\r\n'),
      indent: fc.constantFrom(2, 4, '\t'),
      bom: fc.boolean(),
      comment: fc.boolean(),
    });
    const owned = new Set(['npm', 'name', 'options', 'models', 'baseURL', 'apiKey', 'limit', 'provider', 'enabled_providers', 'disabled_providers']);
    let runs = 0;
    fc.assert(
      fc.property(user, (u) => {
        runs += 1;
        const strip = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([k]) => !owned.has(k)));
        // What the file holds: JSON text has no -0 (it reads back as 0), so compare with the parsed text.
        const config = JSON.parse(
          JSON.stringify({
            ...strip(u.root),
            provider: { embedding: { ...strip(u.embedding.top), options: strip(u.embedding.options), models: { qwen3: strip(u.embedding.model) } } },
          }),
        ) as { provider: { embedding: Record<string, unknown> & { options: Record<string, unknown>; models: { qwen3: Record<string, unknown> } } } } & Record<string, unknown>;
        let text = JSON.stringify(config, null, u.indent).replace(/\n/g, u.eol);
        if (u.comment) text = `// notes${u.eol}${text}`;
        fs.writeFileSync(file(), `${u.bom ? '\uFEFF' : ''}${text}`);
        const written = writeBridgeToWorkspace(dir, bridge);
        assert.ok(written.ok, JSON.stringify(written));
        const after = fs.readFileSync(file(), 'utf8');
        assert.equal(after.startsWith('\uFEFF'), u.bom);
        for (const [k, v] of Object.entries(config)) if (k !== 'provider') assert.deepEqual(valueAt(after, [k]), v, `root ${k}`);
        const entry = config.provider.embedding;
        for (const [k, v] of Object.entries(entry)) if (!owned.has(k)) assert.deepEqual(valueAt(after, ['provider', 'embedding', k]), v);
        for (const [k, v] of Object.entries(entry.options)) assert.deepEqual(valueAt(after, ['provider', 'embedding', 'options', k]), v);
        for (const [k, v] of Object.entries(entry.models.qwen3)) assert.deepEqual(valueAt(after, ['provider', 'embedding', 'models', 'qwen3', k]), v);
        assertBridged(after);
        assert.deepEqual(written.replaced, []);
      }),
      { numRuns: 150 },
    );
    assert.equal(runs, 150);
  });
});
