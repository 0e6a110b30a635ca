/**
 * Names that are also JavaScript property names (test/hostile/names.ts), tried by every family
 * where a host, a user or a server names something: models, providers, favorites, messages.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryTracker } from '../../src/core/registry/registryTracker';
import { FAVORITES_KEY } from '../../src/core/favorites/settingsApi';
import { compactSnapshot } from '../../src/shared/catalog';
import { checkedForView } from '../../src/core/picker/pickerMessages';
import { startBooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { llamaSwap, registryOf } from '../builders';
import { useHarness } from '../webview/harness';
import { openPicker, type PickerPage } from '../webview/pickerPage';
import { hostileFamily } from './family';
import { PROPERTY_NAMES, PROPERTY_PROVIDER_IDS } from './names';
import { hostRig, Started, type HostRig } from './rigs';

/** What the picker's view would receive for the rig's current snapshot; undefined when the host would send nothing. */
function posted(rig: HostRig) {
  return checkedForView({ type: 'snapshot', revision: 'r.1', snapshot: compactSnapshot(rig.snapshot()) }, () => undefined);
}

hostileFamily('hosts', 'a host listing models called like JavaScript properties', function () {
  const started = new Started();
  afterEach(() => started.stopAll());

  it('a host listing models called like properties: listed, starred, selected and routed like any other, in every snapshot', async () => {
    const host = started.add(await startLlamaSwapDouble({ models: [...PROPERTY_NAMES, 'qwen3'].map((id) => ({ id })) }));
    const rig = hostRig(registryOf([llamaSwap('sam-desktop', host.url, { contextWindow: { ['__proto__']: 8192 } })]));
    await rig.refresh();
    for (const name of PROPERTY_NAMES) {
      await rig.hub.toggleFavorite(`sam-desktop/${name}`);
      await rig.hub.setActiveModel(`sam-desktop/${name}`);
      const message = posted(rig);
      assert.ok(message?.type === 'snapshot', `the host sends the snapshot with ${name} active`);
      assert.equal(message.snapshot.activeId, `sam-desktop/${name}`);
      const route = rig.hub.resolveRoute(`sam-desktop/${name}`);
      assert.ok(route.ok && route.model === name && (name === '__proto__' ? route.contextWindow === 8192 : route.contextWindow === undefined), `${name}: ${JSON.stringify(route)}`);
    }
    const snapshot = rig.snapshot();
    assert.deepEqual(snapshot.favorites.map((f) => f.model), PROPERTY_NAMES);
    assert.deepEqual(snapshot.groups[0]?.models.map((m) => [m.model, m.contextWindow]).filter(([, c]) => c !== undefined), [['__proto__', 8192]]);
  });
});

hostileFamily('servers', 'favorites on the server called like JavaScript properties', function () {
  const started = new Started();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-names-'));
  });
  afterEach(async () => {
    await started.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bare and composite favorites named like properties are read, shown, kept on every write, and removable', async () => {
    const server = started.add(await startBooCodeServerDouble({ dataFile: path.join(dir, 'settings.json'), fsync: false }));
    const host = started.add(await startLlamaSwapDouble({ models: PROPERTY_NAMES.map((id) => ({ id })) }));
    const stored = [...PROPERTY_NAMES, ...PROPERTY_NAMES.map((name) => `sam-desktop/${name}`)];
    server.poke(FAVORITES_KEY, stored);
    const rig = hostRig(registryOf([llamaSwap('sam-desktop', host.url)]), { server: () => ({ baseUrl: server.url, token: undefined, timeoutMs: 2000 }) });
    await rig.refresh();
    assert.deepEqual(rig.favorites.list(), stored);
    // A bare id and its composite twin are one favorite, shown once, under the default host.
    assert.deepEqual(rig.snapshot().favorites.map((f) => f.model), PROPERTY_NAMES);
    assert.ok(posted(rig), 'the host sends the snapshot');
    assert.equal(await rig.hub.toggleFavorite('sam-desktop/constructor'), false);
    await rig.favorites.sync();
    assert.deepEqual(server.peek(FAVORITES_KEY), stored.filter((id) => id !== 'constructor' && id !== 'sam-desktop/constructor'), 'only its forms are removed');
    assert.deepEqual(rig.snapshot().favorites.map((f) => f.model), PROPERTY_NAMES.filter((n) => n !== 'constructor'));
  });
});

hostileFamily('registry', 'providers and context windows called like JavaScript properties', function () {
  it('provider ids and contextWindow keys named like properties are entries like any other', () => {
    const tracker = new RegistryTracker();
    const windows = Object.fromEntries(PROPERTY_NAMES.map((name, i) => [name, 1000 + i]));
    // Through JSON, as settings and files arrive: "__proto__" is then an own key like the others.
    const value: unknown = JSON.parse(
      JSON.stringify([
        ...PROPERTY_PROVIDER_IDS.map((id, i) => ({ id, kind: 'llama-swap', baseUrl: `http://127.0.0.1:${i + 1}` })),
        { id: 'lab', kind: 'llama-swap', baseUrl: 'http://127.0.0.1:9', contextWindow: windows },
      ]),
    );
    tracker.update('settings', { kind: 'json', value, where: 'Setting "boocode.providers"', origin: 'user-settings' });
    const registry = tracker.compute(undefined, false);
    assert.deepEqual(registry.problems, []);
    assert.deepEqual(registry.registry.providers.map((p) => p.id), [...PROPERTY_PROVIDER_IDS, 'lab']);
    const lab = registry.registry.providers.find((p) => p.id === 'lab');
    assert.deepEqual([...(lab?.contextWindow ?? new Map())].sort(), PROPERTY_NAMES.map((name, i) => [name, 1000 + i]).sort());
    for (const id of PROPERTY_PROVIDER_IDS) {
      const route = hostRig(registry.registry).hub.resolveRoute(`${id}/qwen3`);
      assert.ok(route.ok && route.provider === id && route.contextWindow === undefined, JSON.stringify(route));
    }
  });
});

hostileFamily('webview', 'models called like JavaScript properties, in the picker', function () {
  const started = new Started();
  afterEach(() => started.stopAll());

  describe('in Chromium', function () {
    this.timeout(120_000);
    const harness = useHarness();
    let picker: PickerPage | undefined;
    afterEach(async () => {
      assert.deepEqual(picker?.errors ?? [], [], 'no page errors');
      await picker?.close();
      picker = undefined;
    });

    it('the picker shows models called __proto__, constructor and toString, and keeps updating', async () => {
      const host = started.add(await startLlamaSwapDouble({ models: [{ id: '__proto__' }, { id: 'constructor' }, { id: 'toString' }] }));
      const rig = hostRig(registryOf([llamaSwap('sam-desktop', host.url)]));
      await rig.refresh();
      await rig.hub.toggleFavorite('sam-desktop/__proto__');
      const p = (picker = await openPicker(harness.browser(), harness.server()));
      const ids = async (): Promise<string[]> => [...new Set((await p.rows()).map((r) => r.id).filter((id): id is string => id !== undefined))].sort();
      await p.send(posted(rig));
      await p.settle();
      assert.deepEqual(await ids(), ['sam-desktop/__proto__', 'sam-desktop/constructor', 'sam-desktop/toString']);
      // The host lists one more: the next snapshot is shown too.
      host.setModels([{ id: '__proto__' }, { id: 'constructor' }, { id: 'toString' }, { id: 'valueOf' }]);
      await rig.refresh();
      const next = posted(rig);
      assert.ok(next?.type === 'snapshot');
      await p.send({ ...next, revision: 'r.2' });
      await p.settle();
      assert.deepEqual(await ids(), ['sam-desktop/__proto__', 'sam-desktop/constructor', 'sam-desktop/toString', 'sam-desktop/valueOf']);
      const warnings = (await p.warnings()).filter((w) => w.includes('dropped'));
      assert.deepEqual(warnings, [], 'the view dropped nothing');
    });
  });
});
