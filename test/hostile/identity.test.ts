import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MAX_MODEL_ID_LENGTH } from '../../src/core/catalog/hostModels';
import { KNOWN_PROVIDERS_KEY } from '../../src/core/hub/catalogIdentity';
import { ACTIVE_MODEL_KEY } from '../../src/core/hub/modelHub';
import type { Registry } from '../../src/core/registry/registry';
import { toWebviewSchema, type ToWebview } from '../../src/shared/protocol';
import { compactSnapshot, snapshotSchema } from '../../src/shared/catalog';
import { checkedForView, receiveFromView } from '../../src/core/picker/pickerMessages';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { MemoryStore } from '../fakes/memoryStore';
import { llamaSwap, registryOf } from '../builders';
import { hostileFamily } from './family';
import { PROPERTY_NAMES } from './names';
import { hostRig, Started, type HostRig } from './rigs';

/** What the picker's view would receive for the rig's current snapshot; undefined when the host would send nothing. */
function posted(rig: HostRig): ToWebview | undefined {
  const warnings: string[] = [];
  return checkedForView({ type: 'snapshot', revision: 'r.1', snapshot: compactSnapshot(rig.snapshot()) }, (line) => warnings.push(line));
}

hostileFamily('identity', 'ids whose provider left, ids longer than any host lists, names that are property names', function () {
  const started = new Started();
  afterEach(() => started.stopAll());

  /**
   * `sam-desktop` is the default host and lists `lab/qwen3` itself (a peer model's id), so an id
   * sent there by mistake would even answer: only the identity rule keeps `lab/qwen3` on `lab`.
   */
  async function fleetWithLab(store = new MemoryStore()) {
    const sam = started.add(await startLlamaSwapDouble({ label: 'sam', models: [{ id: 'lab/qwen3' }, { id: 'qwen3' }] }));
    const lab = started.add(await startLlamaSwapDouble({ label: 'lab', models: [{ id: 'qwen3' }] }));
    const withLab = registryOf([llamaSwap('sam-desktop', sam.url, { default: true }), llamaSwap('lab', lab.url)]);
    const withoutLab = registryOf([llamaSwap('sam-desktop', sam.url, { default: true })]);
    return { sam, lab, withLab, withoutLab, store };
  }

  async function setRegistry(rig: HostRig, registry: Registry): Promise<void> {
    rig.hub.setRegistry(registry);
    await rig.refresh();
  }

  it('a provider that left the registry: its ids stay themselves, unresolvable with the reason, across a reload, and work again when it returns', async () => {
    const fleet = await fleetWithLab();
    const rig = hostRig(fleet.withLab, { store: fleet.store });
    await rig.refresh();
    await rig.hub.setActiveModel('lab/qwen3');
    assert.equal(await rig.hub.toggleFavorite('lab/qwen3'), true);

    await setRegistry(rig, fleet.withoutLab);
    const away = /"lab\/qwen3" belongs to provider "lab", which is not registered now\. It is kept as it is and works again when "lab" is back\./;
    // setActiveModel: refused with the reason; the stored value is the composite id, untouched.
    await assert.rejects(rig.hub.setActiveModel('lab/qwen3'), away);
    assert.equal(rig.store.get(ACTIVE_MODEL_KEY), 'lab/qwen3');
    assert.equal(rig.hub.getActiveModel(), 'lab/qwen3');
    assert.match(rig.hub.view().activeProblem?.reason ?? '', away);
    // Chat routing (vscode.lm, the API's resolveModel, the session push all route through it): never sam-desktop.
    const route = rig.hub.resolveRoute('lab/qwen3');
    assert.ok(!route.ok && away.test(route.reason), JSON.stringify(route));
    // Favorites: kept, hidden, and not shown as sam-desktop's `lab/qwen3`.
    await assert.rejects(rig.hub.toggleFavorite('lab/qwen3'), away);
    assert.deepEqual(rig.favorites.list(), ['lab/qwen3']);
    const snapshot = rig.snapshot();
    assert.deepEqual(snapshot.favorites, []);
    assert.equal(snapshot.hiddenFavorites, 1);
    assert.equal(snapshot.activeId, undefined);
    const samGroup = snapshot.groups.find((g) => g.provider === 'sam-desktop');
    assert.deepEqual(samGroup?.models.map((m) => [m.id, m.favorite, m.active]), [['sam-desktop/lab/qwen3', false, false], ['sam-desktop/qwen3', false, false]]);

    // A new window over the same storage, with lab still away: the same.
    const reopened = hostRig(fleet.withoutLab, { store: fleet.store });
    await reopened.refresh();
    assert.deepEqual(fleet.store.get(KNOWN_PROVIDERS_KEY), ['sam-desktop', 'lab']);
    assert.ok(!reopened.hub.resolveRoute('lab/qwen3').ok);
    assert.equal(reopened.snapshot().activeId, undefined);
    assert.deepEqual(reopened.snapshot().favorites, []);

    // lab is back: everything is as it was.
    await setRegistry(reopened, fleet.withLab);
    const back = reopened.hub.resolveRoute('lab/qwen3');
    assert.ok(back.ok && back.provider === 'lab' && back.model === 'qwen3' && back.baseUrl === `${fleet.lab.url}/v1`, JSON.stringify(back));
    const again = reopened.snapshot();
    assert.equal(again.activeId, 'lab/qwen3');
    assert.deepEqual(again.favorites.map((f) => f.id), ['lab/qwen3']);
    assert.equal(again.hiddenFavorites, 0);
    assert.equal(fleet.sam.requests.filter((r) => r.path.includes('chat')).length, 0);
  });

  it('deepseek/deepseek-chat without a key stays DeepSeek\'s: refused with what to do, never the default host\'s', async () => {
    const fleet = await fleetWithLab();
    const noKey = fleet.withoutLab;
    const rig = hostRig(noKey, { store: fleet.store });
    await fleet.store.set(ACTIVE_MODEL_KEY, 'deepseek/deepseek-chat');
    const needsKey = /"deepseek\/deepseek-chat" is a DeepSeek model and DeepSeek is not set up \(no API key\): run "BooCode: Set DeepSeek API Key"/;
    await assert.rejects(rig.hub.setActiveModel('deepseek/deepseek-chat'), needsKey);
    await assert.rejects(rig.hub.toggleFavorite('deepseek/deepseek-chat'), needsKey);
    const route = rig.hub.resolveRoute('deepseek/deepseek-chat');
    assert.ok(!route.ok && needsKey.test(route.reason));
    assert.equal(rig.hub.getActiveModel(), 'deepseek/deepseek-chat', 'the stored id is kept as it is');
    // With the key, it is DeepSeek's again.
    rig.hub.setRegistry(registryOf([llamaSwap('sam-desktop', fleet.sam.url, { default: true })], { deepseekKey: true }));
    const cloud = rig.hub.resolveRoute('deepseek/deepseek-chat');
    assert.ok(cloud.ok && cloud.provider === 'deepseek' && cloud.cloud);
  });

  it('ids that were never composite keep the seed\'s rule: a bare id (with or without "/") goes to the default host', async () => {
    const fleet = await fleetWithLab();
    const rig = hostRig(fleet.withoutLab);
    for (const bare of ['qwen3', 'Qwen/Qwen3-8B', 'meta-llama/Llama-3', 'deepseek-r1-qwen3-8b']) {
      const route = rig.hub.resolveRoute(bare);
      assert.ok(route.ok && route.provider === 'sam-desktop' && route.model === bare && route.legacy, bare);
    }
  });

  it('a select with a 600-character bare id is refused at the first boundary; the picker keeps its snapshot', async () => {
    const rig = hostRig(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:9')]));
    const answers: ToWebview[] = [];
    const actions = {
      ready: () => undefined,
      refresh: async () => undefined,
      openRegistry: async () => undefined,
      addProvider: async () => undefined,
      focusNextPart: async () => undefined,
      select: (id: string) => rig.hub.setActiveModel(id),
      toggleFavorite: async (id: string) => void (await rig.hub.toggleFavorite(id)),
      modelAction: async () => undefined,
      post: (message: ToWebview) => void answers.push(message),
      warn: () => undefined,
      scrub: (text: string) => text,
    };
    const long = 'x'.repeat(600);
    await receiveFromView({ type: 'request', requestId: 1, request: { method: 'select', id: long } }, actions);
    await receiveFromView({ type: 'request', requestId: 2, request: { method: 'toggleFavorite', id: long } }, actions);
    for (const answer of answers) {
      assert.ok(answer.type === 'response' && !answer.ok && /is longer than 512 characters/.test(answer.error ?? ''), JSON.stringify(answer).slice(0, 300));
      assert.ok(answer.type === 'response' && (answer.error?.length ?? 0) < 300, 'the id is not repeated in full');
    }
    assert.equal(rig.store.get(ACTIVE_MODEL_KEY), undefined, 'nothing stored');
    assert.deepEqual(rig.favorites.list(), []);
    assert.ok(posted(rig), 'the host still sends snapshots the view accepts');
    // A 612-character id stored by an older version: a window that opens over it is not left blank.
    const store = new MemoryStore();
    await store.set(ACTIVE_MODEL_KEY, `sam-desktop/${long}`);
    const reopened = hostRig(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:9')]), { store });
    assert.ok(posted(reopened), 'the host sends a snapshot the view accepts');
    assert.match(reopened.hub.view().activeProblem?.reason ?? '', /longer than 512/);
  });

  it('every id an entry point accepts is accepted by every later boundary (property: setActiveModel, toggleFavorite, the snapshot, the wire)', async () => {
    const registry = registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:9'), llamaSwap('x'.repeat(64), 'http://127.0.0.1:10')], { deepseekKey: true });
    const head = fc.constantFrom('', 'sam-desktop/', `${'x'.repeat(64)}/`, 'deepseek/', 'lab/', 'Qwen/');
    const body = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ minLength: MAX_MODEL_ID_LENGTH - 5, maxLength: MAX_MODEL_ID_LENGTH + 100 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom(...PROPERTY_NAMES, 'a/b', '\u202Eexe', 'x'.repeat(MAX_MODEL_ID_LENGTH)),
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(head, body, async (prefix, model) => {
        const rig = hostRig(registry);
        const id = `${prefix}${model}`;
        const selected = await rig.hub.setActiveModel(id).then(() => true, () => false);
        const starred = await rig.hub.toggleFavorite(id).then(() => true, () => false);
        assert.equal(selected, starred, 'both entry points apply one rule');
        if (selected) accepted += 1;
        const snapshot = rig.snapshot();
        assert.ok(snapshotSchema.safeParse(compactSnapshot(snapshot)).success, 'the picker accepts the snapshot');
        assert.ok(toWebviewSchema.safeParse({ type: 'snapshot', revision: 'r.1', snapshot: compactSnapshot(snapshot) }).success, 'and its wire form');
        if (selected) assert.equal(snapshot.activeId, rig.hub.getActiveModel(), 'and shows what was stored');
      }),
      { numRuns: 400, seed: 1313 },
    );
    assert.ok(accepted > 100, `enough accepted ids to mean something (${accepted})`);
  });
});
