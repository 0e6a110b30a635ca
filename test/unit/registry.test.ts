import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { defaultLocalProvider, httpUrlProblem, mergeRegistry, parseRegistrySource, urlSetting } from '../../src/core/registry/registry';
import { llamaSwap, registryOf } from '../builders';

describe('provider registry', () => {
  it('merges the file then settings; a settings entry with the same id wins, with a warning', () => {
    const file = parseRegistrySource(
      { providers: [llamaSwap('sam-desktop', 'http://127.0.0.1:1/'), llamaSwap('embedding', 'http://127.0.0.1:2')] },
      '/etc/boocode/registry.json',
      'file',
      true,
    );
    const settings = parseRegistrySource([llamaSwap('sam-desktop', 'http://127.0.0.1:9')], 'settings', 'user-settings', false);
    assert.ok(file.ok && settings.ok);
    const merged = mergeRegistry({ file: file.source, settings: settings.source, deepseekKeyAvailable: false });
    assert.deepEqual(
      merged.registry.providers.map((p) => [p.id, p.baseUrl, p.origin]),
      [
        ['embedding', 'http://127.0.0.1:2', 'file'],
        ['sam-desktop', 'http://127.0.0.1:9', 'user-settings'],
      ],
    );
    assert.equal(merged.warnings.length, 1);
    assert.match(merged.warnings[0] ?? '', /sam-desktop.*settings entry is used/);
  });

  it('names the file, the entry and the field of an invalid entry', () => {
    const result = parseRegistrySource(
      { providers: [llamaSwap('ok', 'http://127.0.0.1:1'), { id: 'bad', kind: 'llama-swap', baseUrl: 'ftp://x' }] },
      '/home/me/fleet.json',
      'file',
      true,
    );
    assert.ok(result.ok, 'one bad entry does not make the source unusable');
    assert.deepEqual(result.source.entries.map((e) => e.id), ['ok'], 'the other entries stay');
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]?.message ?? '', /^\/home\/me\/fleet\.json: entry 2 \("bad"\), field "baseUrl": must be an absolute http/);
    assert.equal(result.problems[0]?.id, 'bad', 'its last valid version may stand in');
  });

  it('refuses ids with "/", unknown kinds, typos and duplicate ids, each with a message', () => {
    const cases: [unknown, RegExp][] = [
      [[llamaSwap('sam/desktop', 'http://127.0.0.1:1')], /entry 1 \("sam\/desktop"\), field "id": .*no "\/"/],
      [[{ id: 'x', kind: 'ollama', baseUrl: 'http://127.0.0.1:1' }], /field "kind"/],
      [[{ id: 'x', kind: 'llama-swap', baseURL: 'http://127.0.0.1:1' }], /field "baseUrl"|unknown field "baseURL"/],
      [[llamaSwap('x', 'http://127.0.0.1:1'), llamaSwap('x', 'http://127.0.0.1:2')], /entry 2 \("x"\), field "id": duplicates entry 1/],
      [[{ id: 'x', kind: 'llama-swap', baseUrl: 'http://127.0.0.1:1', contextWindow: { m: -5 } }], /field "contextWindow.m"/],
      [[{ id: 'x', kind: 'llama-swap', baseUrl: 'http://127.0.0.1:1', contextWindow: { ['__proto__']: -5 } }], /field "contextWindow.__proto__": must be more than 0/],
    ];
    for (const [raw, pattern] of cases) {
      const result = parseRegistrySource(raw, 'settings', 'user-settings', false);
      assert.ok(result.ok && result.problems.length === 1, `expected one entry of ${JSON.stringify(raw)} to be refused`);
      assert.match(result.problems[0]?.message ?? '', pattern);
    }
    const notList = parseRegistrySource('not a list', 'settings', 'user-settings', false);
    assert.ok(!notList.ok);
    assert.match(notList.message, /must be a list/);
    const notWrapped = parseRegistrySource([], 'f.json', 'file', true);
    assert.ok(!notWrapped.ok);
    assert.match(notWrapped.message, /f\.json: expected a JSON object \{"providers"/);
  });

  it('turns the legacy LLAMA_SWAP_URL into provider "local" only when nothing else is declared', () => {
    const legacy = mergeRegistry({ legacyLlamaSwapUrl: 'http://127.0.0.1:8080', deepseekKeyAvailable: false });
    assert.deepEqual(legacy.registry.providers.map((p) => [p.id, p.kind, p.baseUrl]), [['local', 'llama-swap', 'http://127.0.0.1:8080']]);
    const settings = parseRegistrySource([llamaSwap('a', 'http://127.0.0.1:1')], 's', 'user-settings', false);
    assert.ok(settings.ok);
    const declared = mergeRegistry({ settings: settings.source, legacyLlamaSwapUrl: 'http://127.0.0.1:8080', deepseekKeyAvailable: false });
    assert.deepEqual(declared.registry.providers.map((p) => p.id), ['a']);
  });

  it('adds the built-in deepseek provider only with a key, and lets an entry override its base URL', () => {
    assert.deepEqual(registryOf([llamaSwap('a', 'http://127.0.0.1:1')]).providers.map((p) => p.id), ['a']);
    const withKey = registryOf([llamaSwap('a', 'http://127.0.0.1:1')], { deepseekKey: true });
    assert.deepEqual(withKey.providers.map((p) => [p.id, p.kind, p.baseUrl]), [
      ['a', 'llama-swap', 'http://127.0.0.1:1'],
      ['deepseek', 'deepseek', 'https://api.deepseek.com'],
    ]);
    const overridden = registryOf([{ id: 'deepseek', baseUrl: 'http://127.0.0.1:7/' }], { deepseekKey: true });
    assert.deepEqual(overridden.providers.map((p) => [p.id, p.kind, p.baseUrl, p.apiKeyEnv]), [
      ['deepseek', 'deepseek', 'http://127.0.0.1:7', 'DEEPSEEK_API_KEY'],
    ]);
  });

  it('picks the default local provider: marked default, else the first llama-swap, never the cloud', () => {
    const marked = registryOf([llamaSwap('a', 'http://127.0.0.1:1'), llamaSwap('b', 'http://127.0.0.1:2', { default: true })]);
    assert.equal(defaultLocalProvider(marked)?.id, 'b');
    const first = registryOf([
      { id: 'oa', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:3/v1' },
      llamaSwap('a', 'http://127.0.0.1:1'),
    ]);
    assert.equal(defaultLocalProvider(first)?.id, 'a');
    assert.equal(defaultLocalProvider(registryOf([], { deepseekKey: true })), undefined);
  });

  it('one URL rule for the registry, Add Provider and the URL settings (property): what one accepts, the others accept', () => {
    const url = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webUrl().map((u) => u.replace('://', '://user:pass@')),
      fc.webUrl().map((u) => u.replace('://', '://user@')),
      fc.constantFrom('http://127.0.0.1:8080', 'ftp://127.0.0.1', 'file:///etc/passwd', 'javascript:alert(1)', '127.0.0.1:8080', 'http://', ' http://127.0.0.1:1 '),
      fc.string(),
    );
    fc.assert(
      fc.property(url, (value) => {
        const entry = { id: 'lab', kind: 'llama-swap', baseUrl: value };
        const parsed = parseRegistrySource([entry], 'settings', 'user-settings', false);
        const registryAccepts = parsed.ok && parsed.problems.length === 0;
        assert.equal(httpUrlProblem(value) === undefined, registryAccepts, value);
        const setting = urlSetting('boocode.serverUrl', value);
        if (setting !== undefined && 'url' in setting) {
          const again = parseRegistrySource([{ ...entry, baseUrl: setting.url }], 'settings', 'user-settings', false);
          assert.ok(again.ok && again.problems.length === 0, `the setting's URL ${setting.url} is one the registry takes`);
        }
      }),
      { numRuns: 300, seed: 1310 },
    );
  });

  it('a URL setting with user:password@ is refused naming the setting, never the password', () => {
    assert.deepEqual(urlSetting('boocode.opencodeUrl', '  http://127.0.0.1:4096/ '), { url: 'http://127.0.0.1:4096' });
    assert.equal(urlSetting('boocode.opencodeUrl', '  '), undefined);
    const refused = urlSetting('boocode.serverUrl', 'http://me:hunter2@127.0.0.1:3000');
    assert.ok(refused !== undefined && 'problem' in refused);
    assert.equal(refused.problem, 'Setting "boocode.serverUrl" must be an absolute http:// or https:// URL without user:password@; it is not used until that is fixed.');
    assert.equal(httpUrlProblem('http://user:hunter2@127.0.0.1:8080'), 'must be an absolute http:// or https:// URL without user:password@');
  });
});
