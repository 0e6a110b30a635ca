import { strict as assert } from 'node:assert';
import { MAX_MODELS_PER_PROVIDER } from '../../src/core/catalog/hostModels';
import { requestsCarrying, type DoubleServer } from '../../doubles/doubleServer';
import { startDeepSeekDouble } from '../../doubles/deepseekDouble';
import type { HostBehavior } from '../../doubles/hostBehavior';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { llamaSwap, registryOf } from '../builders';
import { hostileFamily } from './family';
import { hostRig, Started, type HostRig } from './rigs';

const KEY = 'sk-hostile-4f1c9e2b7a';
const HOST_KEY = 'lsk-hostile-77aa31';

type Kind = 'llama-swap' | 'deepseek';

interface Misbehaving {
  readonly rig: HostRig;
  readonly host: DoubleServer & { setBehavior(behavior: HostBehavior): void };
  /** The provider id of the misbehaving host. */
  readonly id: string;
}

hostileFamily('hosts', 'llama-swap and DeepSeek hosts that misbehave', function () {
  const started = new Started();
  afterEach(() => started.stopAll());

  /**
   * A misbehaving host next to a healthy one. The misbehaving host first answers normally (so
   * there is something to lose), then is told to misbehave and the catalog refreshes again.
   */
  async function misbehave(kind: Kind, behavior: HostBehavior, options: { timeoutMs?: number; trickleIntervalMs?: number } = {}): Promise<Misbehaving> {
    const healthy = started.add(await startLlamaSwapDouble({ label: 'healthy', models: [{ id: 'steady' }] }));
    const tuning = options.trickleIntervalMs !== undefined ? { trickleIntervalMs: options.trickleIntervalMs } : {};
    const host =
      kind === 'deepseek'
        ? started.add(await startDeepSeekDouble({ apiKey: KEY, models: [{ id: 'deepseek-flash' }, { id: 'deepseek-pro' }], ...tuning }))
        : started.add(await startLlamaSwapDouble({ models: [{ id: 'qwen3' }, { id: 'Qwen/Qwen3-8B' }], ...tuning }));
    const id = kind === 'deepseek' ? 'deepseek' : 'sam-desktop';
    const entry = kind === 'deepseek' ? { id: 'deepseek', baseUrl: host.url } : llamaSwap('sam-desktop', host.url);
    const rig = hostRig(registryOf([llamaSwap('healthy', healthy.url), entry], { deepseekKey: true }), {
      credentials: (p) => (p.id === 'deepseek' ? KEY : undefined),
      secrets: [KEY],
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    await rig.refresh();
    assert.equal(rig.provider(id)?.state.status, 'online', 'answers normally first');
    // Something to lose: a favorite and the active model on the host about to misbehave.
    const first = rig.provider(id)?.models[0]?.id ?? '';
    await rig.hub.toggleFavorite(`${id}/${first}`);
    await rig.hub.toggleFavorite('healthy/steady');
    await rig.hub.setActiveModel(`${id}/${first}`);
    host.setBehavior(behavior);
    await rig.refresh();
    assert.equal(rig.provider('healthy')?.state.status, 'online', 'the healthy host is not affected');
    assert.deepEqual(rig.provider('healthy')?.models.map((m) => m.id), ['steady']);
    assert.deepEqual(rig.favorites.list(), [`${id}/${first}`, 'healthy/steady'], 'favorites are kept');
    assert.equal(rig.hub.getActiveModel(), `${id}/${first}`, 'the active model is kept');
    return { rig, host, id };
  }

  /** Nothing was lost: the last good list is still in the cache, and no line carries the key. */
  function assertNothingLost(m: Misbehaving, expected: readonly string[]): void {
    assert.deepEqual(m.rig.cached(m.id)?.map((model) => model.id), expected, 'the last good list stays in the cache');
    assert.deepEqual(m.rig.log.carrying(KEY), [], 'no log line carries the key');
    assert.ok(!JSON.stringify(m.rig.snapshot()).includes(KEY), 'nor does the picker');
  }

  const lastGood = (kind: Kind): string[] => (kind === 'deepseek' ? ['deepseek-flash', 'deepseek-pro'] : ['Qwen/Qwen3-8B', 'qwen3']);

  for (const kind of ['llama-swap', 'deepseek'] as const) {
    it(`${kind}: unparsable JSON marks the provider invalid, saying so, and keeps the last list`, async () => {
      const m = await misbehave(kind, 'malformed');
      const state = m.rig.provider(m.id)?.state;
      assert.equal(state?.status, 'invalid');
      assert.match(state?.reason ?? '', /not valid JSON/);
      assert.ok(m.rig.log.raw.some((line) => line.includes(`"${m.id}"`) && /invalid.*not valid JSON/.test(line)), 'the log says why');
      assertNothingLost(m, lastGood(kind));
    });

    it(`${kind}: an HTML error page with 502 is offline with the status, not a parse error`, async () => {
      const m = await misbehave(kind, 'html502');
      const state = m.rig.provider(m.id)?.state;
      assert.equal(state?.status, 'offline');
      assert.match(state?.reason ?? '', /HTTP 502/);
      assert.doesNotMatch(state?.reason ?? '', /<|nginx/, 'no HTML in the message');
      assertNothingLost(m, lastGood(kind));
    });

    it(`${kind}: an answer without a "data" list (or not an object at all) is invalid`, async () => {
      for (const body of [{ models: [] }, { object: 'list', data: { id: 'x' } }, [{ id: 'x' }], null, 'models']) {
        const m = await misbehave(kind, { kind: 'raw', json: body });
        const state = m.rig.provider(m.id)?.state;
        assert.equal(state?.status, 'invalid', JSON.stringify(body));
        assert.match(state?.reason ?? '', /no "data" list/);
        assertNothingLost(m, lastGood(kind));
      }
    });
  }

  it('a body that never ends: reading stops at the size cap and the provider is invalid', async function () {
    this.timeout(30_000);
    const m = await misbehave('llama-swap', 'endless', { timeoutMs: 20_000 });
    const state = m.rig.provider('sam-desktop')?.state;
    assert.equal(state?.status, 'invalid');
    assert.match(state?.reason ?? '', /larger than 32 MB; reading stopped/);
    assertNothingLost(m, lastGood('llama-swap'));
  });

  it('100,000 models: the first 20,000 are listed and the rest are counted as skipped', async () => {
    const data = Array.from({ length: 100_000 }, (_, i) => ({ id: `model-${String(i).padStart(6, '0')}`, object: 'model' }));
    const m = await misbehave('llama-swap', { kind: 'raw', text: JSON.stringify({ object: 'list', data }) });
    const snapshot = m.rig.provider('sam-desktop');
    assert.equal(snapshot?.state.status, 'online');
    assert.equal(snapshot?.models.length, MAX_MODELS_PER_PROVIDER);
    assert.deepEqual(snapshot?.state.notes, ['80000 skipped: more than 20000 models are listed']);
    assert.ok(m.rig.log.raw.some((line) => /online, 20000 models.*80000 skipped/.test(line)), 'the log says so');
  });

  it('duplicate ids: the first entry wins, the others are counted', async () => {
    const m = await misbehave('llama-swap', {
      kind: 'raw',
      json: { object: 'list', data: [{ id: 'qwen3', name: 'Qwen 3' }, { id: 'qwen3', name: 'Evil twin' }, { id: 'b' }, { id: 'b' }, { id: 'b' }] },
    });
    const snapshot = m.rig.provider('sam-desktop');
    assert.equal(snapshot?.state.status, 'online');
    assert.deepEqual(snapshot?.models.map((x) => [x.id, x.name]), [['qwen3', 'Qwen 3'], ['b', undefined]]);
    assert.deepEqual(snapshot?.state.notes, ['3 skipped: an id is listed twice']);
  });

  it('ids with control or bidi-override characters or 4 KB of text are skipped; emoji are kept; long names are cut', async () => {
    const data = [
      { id: 'plain' },
      { id: 'qwen3\u202Eexe.gguf' },
      { id: 'bell\u0007' },
      { id: 'two\nlines' },
      { id: 'isolate\u2066x\u2069' },
      { id: '🦙-llama-🚀' },
      { id: 'x'.repeat(4096) },
      { id: 'long-name', name: 'N'.repeat(4096), description: `<b>${'D'.repeat(4096)}</b>` },
      { id: 'rtl-name', name: 'safe\u202Egnp.exe' },
    ];
    const m = await misbehave('llama-swap', { kind: 'raw', json: { object: 'list', data } });
    const snapshot = m.rig.provider('sam-desktop');
    assert.equal(snapshot?.state.status, 'online');
    assert.deepEqual(snapshot?.models.map((x) => x.id), ['plain', '🦙-llama-🚀', 'long-name', 'rtl-name']);
    const long = snapshot?.models.find((x) => x.id === 'long-name');
    assert.equal(Array.from(long?.name ?? '').length, 200);
    assert.ok(long?.name?.endsWith('…'));
    assert.equal(Array.from(long?.description ?? '').length, 1000);
    assert.equal(snapshot?.models.find((x) => x.id === 'rtl-name')?.name, 'safegnp.exe', 'the override character is removed from names');
    assert.deepEqual(snapshot?.state.notes, ['4 skipped: an id contains control or text-direction characters', '1 skipped: an id is longer than 512 characters']);
  });

  it('non-string ids and entries that are not objects are skipped and counted', async () => {
    const data = [{ id: 42 }, { id: null }, { id: {} }, { id: ['a'] }, { id: '' }, {}, 'just-a-string', null, 7, { id: 'fine' }];
    const m = await misbehave('deepseek', { kind: 'raw', json: { object: 'list', data } });
    const snapshot = m.rig.provider('deepseek');
    assert.equal(snapshot?.state.status, 'online');
    assert.deepEqual(snapshot?.models.map((x) => x.id), ['fine']);
    assert.deepEqual(snapshot?.state.notes, ['6 skipped: an entry has no string id', '3 skipped: an entry is not an object']);
  });

  it('headers, then a trickle of bytes: the timeout still fires and the host is offline', async () => {
    const m = await misbehave('deepseek', 'trickle', { timeoutMs: 800, trickleIntervalMs: 40 });
    const state = m.rig.provider('deepseek')?.state;
    assert.equal(state?.status, 'offline');
    assert.match(state?.reason ?? '', /No answer within 800 ms/);
    assertNothingLost(m, lastGood('deepseek'));
  });

  it('a host that accepts and never answers is offline after its timeout; the others are listed', async () => {
    const m = await misbehave('llama-swap', 'hang', { timeoutMs: 600 });
    assert.equal(m.rig.provider('sam-desktop')?.state.status, 'offline');
    assert.match(m.rig.provider('sam-desktop')?.state.reason ?? '', /No answer within 600 ms/);
    assertNothingLost(m, lastGood('llama-swap'));
  });

  for (const status of [302, 307, 308] as const) {
    it(`a redirect (${status}) to another host is not followed: the key never reaches that host`, async () => {
      const elsewhere = started.add(await startDeepSeekDouble({ apiKey: 'sk-somebody-else' }));
      const m = await misbehave('deepseek', { kind: 'redirect', status, location: `${elsewhere.url}/models` });
      const state = m.rig.provider('deepseek')?.state;
      assert.equal(state?.status, 'invalid');
      assert.match(state?.reason ?? '', new RegExp(`redirects \\(HTTP ${status}\\); redirects are not followed`));
      assert.deepEqual(elsewhere.requests, [], 'the other host got no request at all');
      assert.deepEqual(requestsCarrying(elsewhere.requests, KEY), []);
      assertNothingLost(m, lastGood('deepseek'));
    });
  }

  it('a llama-swap host key (apiKeyEnv) is not carried along a redirect either', async () => {
    const locked = started.add(await startLlamaSwapDouble({ models: [{ id: 'a' }], apiKeys: [HOST_KEY] }));
    const elsewhere = started.add(await startLlamaSwapDouble({ models: [{ id: 'b' }] }));
    const rig = hostRig(registryOf([llamaSwap('locked', locked.url, { apiKeyEnv: 'LOCKED_KEY' })]), { credentials: () => HOST_KEY, secrets: [HOST_KEY] });
    locked.setBehavior({ kind: 'redirect', status: 307, location: `${elsewhere.url}/v1/models` });
    await rig.refresh();
    assert.equal(rig.provider('locked')?.state.status, 'invalid');
    assert.deepEqual(elsewhere.requests, []);
    assert.deepEqual(rig.log.carrying(HOST_KEY), []);
  });

  it('401: DeepSeek is shown unauthorized with what to do, and the key is in no log line', async () => {
    const ds = started.add(await startDeepSeekDouble({ apiKey: 'sk-the-right-one' }));
    const rig = hostRig(registryOf([{ id: 'deepseek', baseUrl: ds.url }], { deepseekKey: true }), { credentials: () => KEY, secrets: [KEY] });
    await rig.refresh();
    const state = rig.provider('deepseek')?.state;
    assert.equal(state?.status, 'unauthorized');
    assert.match(state?.reason ?? '', /refused the credentials \(HTTP 401\)\. Run "BooCode: Set DeepSeek API Key"/);
    assert.ok(rig.log.raw.some((line) => /"deepseek".*unauthorized/.test(line)), 'the log says unauthorized');
    assert.deepEqual(rig.log.carrying(KEY), []);
    assert.deepEqual(rig.log.carrying(KEY.slice(-4)).filter((line) => line.includes('****')), [], 'not even the tail DeepSeek echoes');
    assert.deepEqual(ds.authorizationHeaders(), [`Bearer ${KEY}`], 'sent once, to DeepSeek only');
  });

  it('a host that echoes the key back in a broken body does not get it into the message or the log', async () => {
    const short = 'sk-9f3a';
    const ds = started.add(await startDeepSeekDouble({ apiKey: short, behavior: { kind: 'raw', text: short } }));
    const rig = hostRig(registryOf([{ id: 'deepseek', baseUrl: ds.url }], { deepseekKey: true }), { credentials: () => short, secrets: [short] });
    await rig.refresh();
    const state = rig.provider('deepseek')?.state;
    assert.equal(state?.status, 'invalid');
    assert.match(state?.reason ?? '', /not valid JSON/);
    assert.ok(!(state?.reason ?? '').includes(short), `the reason carries the key: ${state?.reason}`);
    assert.deepEqual(rig.log.raw.filter((line) => line.includes(short)), [], 'not even before redaction');
  });
});
