import { strict as assert } from 'node:assert';
import { idFromUrl, ManagedGroups, MANAGED_SOURCE, readGroupConfiguration, type ManagedGroup } from '../../src/core/registry/managedGroups';
import { RegistryTracker } from '../../src/core/registry/registryTracker';
import { releaseProviderKey, opencodeKeysForFile } from '../../src/core/trust/providerKeys';
import { SecretGate } from '../../src/core/trust/secretGate';
import { llamaSwap } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';

function group(configuration: unknown): ManagedGroup {
  const reading = readGroupConfiguration(configuration);
  assert.ok(reading.ok, reading.ok ? '' : reading.message);
  return reading.group;
}

function problem(configuration: unknown): string {
  const reading = readGroupConfiguration(configuration);
  assert.ok(!reading.ok, 'the configuration is refused');
  return reading.message;
}

/** The registry as the extension computes it with these groups in the "Manage Models" slot. */
function registryWith(groups: readonly ManagedGroup[], settings: readonly unknown[] = []) {
  const tracker = new RegistryTracker();
  if (settings.length > 0) tracker.update('settings', { kind: 'json', value: settings, where: 'Setting "boocode.providers"', origin: 'user-settings' });
  tracker.update('managed', { kind: 'json', value: groups.map((g) => g.entry), where: MANAGED_SOURCE, origin: 'model-management' });
  return tracker.compute(undefined, false);
}

describe('"Manage Models" groups as registry providers', () => {
  it('a valid group becomes a llama-swap provider of its own source, with its id and label', () => {
    const lab = group({ url: 'http://127.0.0.1:8080/', id: 'lab', label: 'Lab box', apiKey: ' sk-lab ' });
    assert.deepEqual(lab.entry, { id: 'lab', kind: 'llama-swap', baseUrl: 'http://127.0.0.1:8080', label: 'Lab box' });
    assert.equal(lab.apiKey, 'sk-lab');
    const tracked = registryWith([lab]);
    assert.deepEqual(
      tracked.registry.providers.map((p) => [p.id, p.kind, p.baseUrl, p.label, p.origin]),
      [['lab', 'llama-swap', 'http://127.0.0.1:8080', 'Lab box', 'model-management']],
    );
    assert.deepEqual(tracked.problems, []);
  });

  it('without an id, the id is made from the URL host name', () => {
    assert.equal(group({ url: 'http://GPU-Box.lan:8080' }).entry.id, 'gpu-box.lan');
    assert.equal(group({ url: 'https://192.168.1.20' }).entry.id, '192.168.1.20');
    assert.equal(group({ url: 'http://[::1]:9' }).entry.id, '1');
    assert.equal(idFromUrl('not a url'), undefined);
  });

  it('refuses a missing url, a URL that is not http(s) or carries credentials, and names the field', () => {
    assert.match(problem({}), /needs a "url"/);
    assert.match(problem({ url: '   ' }), /needs a "url"/);
    assert.match(problem({ url: 'ftp://host' }), /field "url" must be an absolute http/);
    const withCredentials = problem({ url: 'http://me:hunter2@host:8080' });
    assert.match(withCredentials, /field "url" must be an absolute http/);
    assert.doesNotMatch(withCredentials, /hunter2/, 'the message never quotes the URL');
    assert.match(problem(null), /not an object/);
    assert.match(problem({ url: 42 }), /needs a "url"/);
  });

  it('refuses hostile ids (__proto__, a slash, control characters) with the registry rule, and never quotes the key', () => {
    for (const id of ['__proto__', 'constructor/x', 'Lab', 'a\u202ebc', 'x'.repeat(65)]) {
      const message = problem({ url: 'http://127.0.0.1:1', id, apiKey: 'sk-secret-value' });
      assert.match(message, /field "id": must be 1-64 characters/, id);
      assert.doesNotMatch(message, /sk-secret-value/);
    }
    assert.match(problem({ url: 'http://127.0.0.1:1', label: 'evil\u202e' }), /field "label": must not contain control/);
    assert.match(problem({ url: 'http://127.0.0.1:1', apiKey: 7 }), /field "apiKey" must be text/);
  });

  it('the registry file and settings win an id; a bad group costs only itself', () => {
    const tracked = registryWith([group({ url: 'http://127.0.0.1:5', id: 'sam' }), group({ url: 'http://127.0.0.1:6', id: 'lab' })], [llamaSwap('sam', 'http://127.0.0.1:1')]);
    assert.deepEqual(
      tracked.registry.providers.map((p) => [p.id, p.baseUrl, p.origin]),
      [
        ['sam', 'http://127.0.0.1:1', 'user-settings'],
        ['lab', 'http://127.0.0.1:6', 'model-management'],
      ],
    );
    assert.match(tracked.warnings.join('\n'), /"sam" is defined in VS Code's model management and in the registry; the registry's entry is used/);
  });

  it('a group VS Code stopped asking about leaves at the end of the listing; another group with its id is a duplicate', () => {
    const groups = new ManagedGroups();
    groups.beginPass();
    assert.equal(groups.see(group({ url: 'http://127.0.0.1:5', id: 'a' })), 'changed');
    assert.equal(groups.see(group({ url: 'http://127.0.0.1:6', id: 'b' })), 'changed');
    assert.equal(groups.see(group({ url: 'http://127.0.0.1:7', id: 'b' })), 'duplicate', 'the second group with id "b" is refused');
    assert.equal(groups.settle(), false);
    assert.deepEqual(groups.entries().map((e) => [e.id, e.baseUrl]), [['a', 'http://127.0.0.1:5'], ['b', 'http://127.0.0.1:6']]);
    groups.beginPass();
    assert.equal(groups.see(group({ url: 'http://127.0.0.1:5', id: 'a' })), 'same');
    assert.equal(groups.settle(), true, 'group "b" was removed in Manage Models');
    assert.deepEqual(groups.entries().map((e) => e.id), ['a']);
  });

  it("a group's key goes only to its own provider, and opencode's config file never names it", async () => {
    const groups = new ManagedGroups();
    groups.beginPass();
    groups.see(group({ url: 'http://127.0.0.1:5', id: 'keyed', apiKey: 'sk-keyed' }));
    groups.see(group({ url: 'http://127.0.0.1:6', id: 'open' }));
    const providers = registryWith(groups.entries().map((entry) => ({ entry }))).registry.providers;
    const gate = new SecretGate({ store: new MemoryStore(), isTrusted: () => true, ask: () => Promise.resolve(false) });
    const values = { deepseekKey: () => Promise.resolve(undefined), env: () => 'from-env', managedKey: (id: string) => groups.apiKey(id) };
    const answers = await Promise.all(providers.map((p) => releaseProviderKey(gate, values, p)));
    assert.deepEqual(answers, ['sk-keyed', undefined]);
    assert.deepEqual(providers.map((p) => opencodeKeysForFile(providers, gate).apiKey(p)), ['none', 'none']);
    assert.deepEqual(groups.keys(), ['sk-keyed'], 'the key is known to log redaction');
  });
});
