import { strict as assert } from 'node:assert';
import { findEntry } from '../../src/core/catalog/catalogView';
import { llamaSwap, registryOf } from '../builders';
import { startLlamaSwapDouble, type LlamaSwapDouble, type LlamaSwapDoubleOptions } from '../../doubles/llamaSwapDouble';
import type { LlamaSwapEventsFault } from '../../doubles/llamaSwapEvents';
import { waitFor } from '../integration/waitFor';
import { liveRig, type LiveRig, type LiveRigOptions } from '../liveRig';
import { hostileFamily } from './family';
import { Started } from './rigs';

const SAM_KEY = 'lsk-live-sam-5e1f0a';
const ANN_KEY = 'lsk-live-ann-77c2d9';

interface Pair {
  readonly rig: LiveRig;
  readonly bad: LlamaSwapDouble;
  readonly good: LlamaSwapDouble;
}

hostileFamily('live', 'llama-swap hosts whose live API misbehaves', function () {
  const started = new Started();
  let rig: LiveRig | undefined;
  afterEach(async () => {
    rig?.stop();
    rig = undefined;
    await started.stopAll();
  });

  /** A misbehaving host ("sam") beside a healthy one ("ann"), each with its own key. */
  async function pair(fault: LlamaSwapEventsFault, options: Partial<LlamaSwapDoubleOptions> = {}, rigOptions: LiveRigOptions = {}): Promise<Pair> {
    const bad = started.add(await startLlamaSwapDouble({ models: [{ id: 'qwen3', status: 'loaded' }, { id: 'Qwen/Qwen3-8B' }], apiKeys: [SAM_KEY], eventsFault: fault, ...options }));
    const good = started.add(await startLlamaSwapDouble({ models: [{ id: 'steady', status: 'loaded' }], apiKeys: [ANN_KEY] }));
    rig = liveRig(registryOf([llamaSwap('sam', bad.url), llamaSwap('ann', good.url)]), {
      credentials: (p) => (p.id === 'sam' ? SAM_KEY : ANN_KEY),
      ...rigOptions,
    });
    await rig.hub.refresh();
    return { rig, bad, good };
  }

  const group = (r: LiveRig, id: string) => r.hub.view().groups.find((g) => g.provider === id);

  /** The healthy host is live and follows a change, whatever its neighbour does. */
  async function healthyUntouched(p: Pair): Promise<void> {
    await waitFor('the healthy host live', () => group(p.rig, 'ann')?.state.live === true);
    p.good.setState('steady', 'stopping');
    await waitFor('the healthy host follows', () => findEntry(p.rig.hub.view(), 'ann/steady')?.state === 'stopping');
    assert.equal(group(p.rig, 'ann')?.state.liveReason, undefined);
  }

  function nothingLeaks(p: Pair, ...fragments: string[]): void {
    const shown = JSON.stringify([p.rig.hub.view(), p.rig.logLines]);
    for (const fragment of [SAM_KEY, ANN_KEY, ...fragments]) assert.ok(!shown.includes(fragment), `"${fragment}" reached the view or the log`);
  }

  it('garbage and truncated frames between real ones: the real state still arrives, the host says what it ignored', async () => {
    const p = await pair('garbage');
    await waitFor('live despite garbage', () => group(p.rig, 'sam')?.state.live === true);
    p.bad.setState('Qwen/Qwen3-8B', 'starting');
    await waitFor('starting', () => findEntry(p.rig.hub.view(), 'sam/Qwen/Qwen3-8B')?.state === 'starting');
    assert.match(group(p.rig, 'sam')?.state.liveReason ?? '', /Ignored malformed events/);
    await healthyUntouched(p);
    nothingLeaks(p, '\u0000', 'garbage without a field', '}}}{{{');
  });

  it('a modelStatus whose data string is not JSON: state unknown (not guessed), and the reason says why', async () => {
    const p = await pair('data-not-json');
    await waitFor('reason', () => /data is not JSON/.test(group(p.rig, 'sam')?.state.liveReason ?? ''));
    assert.equal(findEntry(p.rig.hub.view(), 'sam/qwen3')?.state, undefined);
    assert.equal(findEntry(p.rig.hub.view(), 'sam/qwen3')?.loaded, true, 'what /v1/models said stays');
    await healthyUntouched(p);
    nothingLeaks(p, 'not json: [{id:');
  });

  it('a modelStatus naming models nobody configured: no entries appear, the known ones are right', async () => {
    const p = await pair('unknown-models');
    await waitFor('live', () => group(p.rig, 'sam')?.state.live === true);
    const ids = group(p.rig, 'sam')?.models.map((m) => m.id);
    assert.deepEqual(ids, ['sam/Qwen/Qwen3-8B', 'sam/qwen3']);
    assert.equal(findEntry(p.rig.hub.view(), 'sam/qwen3')?.state, 'ready');
    await healthyUntouched(p);
  });

  it('a first frame that never ends: cut off at the line limit, reconnected with backoff, no storm', async () => {
    const p = await pair('endless-first-frame', {}, { backoff: { baseMs: 200, capMs: 1000 } });
    await waitFor('reason', () => /longer than/.test(group(p.rig, 'sam')?.state.liveReason ?? ''), 15_000);
    await healthyUntouched(p);
    const started = Date.now();
    const before = p.bad.requests.filter((r) => r.pathname === '/api/events').length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const connects = p.bad.requests.filter((r) => r.pathname === '/api/events').length - before;
    // At least 100 ms (half of the 200 ms base) between attempts: a storm would be hundreds.
    assert.ok(connects <= Math.ceil((Date.now() - started) / 100) + 1, `${connects} connects`);
    const heap = process.memoryUsage().heapUsed;
    assert.ok(heap < 1024 * 1024 * 1024, `heap ${heap}`);
  });

  it('HTML instead of an event stream (a login page): the host says so and is retried later', async () => {
    const p = await pair('html');
    await waitFor('reason', () => /text\/html, not an event stream/.test(group(p.rig, 'sam')?.state.liveReason ?? ''));
    assert.equal(group(p.rig, 'sam')?.state.live, false);
    await healthyUntouched(p);
    nothingLeaks(p, 'Sign in');
  });

  it('a stream that stalls mid-frame: detected, reconnected, and the state caught up', async () => {
    const p = await pair('stall', {}, { stallMs: 250 });
    await waitFor('stall seen', () => /stalled mid-event/.test(group(p.rig, 'sam')?.state.liveReason ?? ''));
    p.bad.setEventsFault('none');
    p.bad.setState('Qwen/Qwen3-8B', 'ready');
    await waitFor('caught up', () => findEntry(p.rig.hub.view(), 'sam/Qwen/Qwen3-8B')?.state === 'ready' && group(p.rig, 'sam')?.state.live === true);
    await healthyUntouched(p);
  });

  it('a stream that goes silent between frames while the host changes: one /running finds it stale, it is reconnected', async () => {
    const p = await pair('silent', {}, { stallMs: 250 });
    await waitFor('live', () => group(p.rig, 'sam')?.state.live === true);
    p.bad.setEventsFault('none');
    p.bad.setState('Qwen/Qwen3-8B', 'starting');
    await waitFor('caught up', () => findEntry(p.rig.hub.view(), 'sam/Qwen/Qwen3-8B')?.state === 'starting', 5000);
    assert.ok(p.bad.requests.some((r) => r.pathname === '/running'), 'checked with /running');
    assert.ok(p.bad.requests.filter((r) => r.pathname === '/api/events').length >= 2, 'reconnected');
    await healthyUntouched(p);
  });

  it('10,000 events a second: state right at the end, announcements coalesced, memory bounded', async function () {
    this.timeout(30_000);
    const p = await pair('none');
    await waitFor('live', () => group(p.rig, 'sam')?.state.live === true);
    let changes = 0;
    const sub = p.rig.hub.onDidChange(() => (changes += 1));
    const heapBefore = process.memoryUsage().heapUsed;
    const total = 20_000;
    let flip = false;
    const flood = p.bad.events.flood(total, 10_000, (i) => {
      if (i % 400 === 0) {
        flip = !flip;
        p.bad.setState('Qwen/Qwen3-8B', flip ? 'starting' : 'stopped');
      }
      if (i % 50 === 0) return ['inflight', { operation: 'upsert', request: { id: `flood-${i}`, remote_ip: '10.9.9.9', req_headers: { 'X-Secret': 'other-client' } } }];
      if (i % 50 === 25) return ['inflight', { operation: 'remove', id: `flood-${i - 25}` }];
      return undefined;
    });
    const startedAt = Date.now();
    await flood;
    p.bad.setState('Qwen/Qwen3-8B', 'ready');
    await waitFor('final state', () => findEntry(p.rig.hub.view(), 'sam/Qwen/Qwen3-8B')?.state === 'ready');
    const seconds = (Date.now() - startedAt) / 1000;
    sub.dispose();
    // One announcement per 30 ms window at most, however many events arrived.
    assert.ok(changes <= Math.ceil((seconds * 1000) / 30) + 5, `${changes} announcements in ${seconds.toFixed(1)} s`);
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 64 * 1024 * 1024, `heap grew ${Math.round(growth / 1048576)} MB`);
    assert.equal(group(p.rig, 'sam')?.state.inFlight, 0);
    await healthyUntouched(p);
    nothingLeaks(p, '10.9.9.9', 'other-client');
  });

  it('an unload that hangs, answers 404 or 500, or echoes the key: a clear rejection, the key redacted, the other host untouched', async () => {
    const p = await pair('none', {}, { unloadTimeoutMs: 300 });
    await waitFor('live', () => group(p.rig, 'sam')?.state.live === true);
    for (const [fault, pattern] of [
      ['hang', /did not finish unloading qwen3 within/],
      ['404', /could not unload qwen3: HTTP 404/],
      ['500', /could not unload qwen3: HTTP 500: failed to stop process/],
    ] as const) {
      p.bad.setUnloadFault(fault);
      await assert.rejects(p.rig.hub.unloadModel('sam/qwen3'), pattern);
    }
    p.bad.setUnloadFault('echo');
    await assert.rejects(p.rig.hub.unloadModel('sam/qwen3'), (error: Error) => {
      assert.match(error.message, /HTTP 500: rejected request with key «redacted»/);
      assert.ok(!error.message.includes(SAM_KEY));
      return true;
    });
    await healthyUntouched(p);
    assert.equal(findEntry(p.rig.hub.view(), 'sam/qwen3')?.state, 'ready', 'nothing was unloaded');
    nothingLeaks(p);
  });

  it('a host whose key may not be sent (untrusted workspace): its live API is not contacted at all', async () => {
    const bad = started.add(await startLlamaSwapDouble({ models: [{ id: 'm' }], apiKeys: [SAM_KEY] }));
    rig = liveRig(registryOf([llamaSwap('sam', bad.url)]), {
      credentials: () => ({ withheld: 'The workspace is not trusted: its hosts get no keys.' }),
    });
    await rig.hub.refresh();
    await waitFor('reason', () => /not trusted/.test(group(rig!, 'sam')?.state.liveReason ?? ''));
    assert.equal(bad.requests.filter((r) => r.pathname.startsWith('/api/') || r.pathname === '/running').length, 0);
    await assert.rejects(rig.hub.unloadModel('sam/m'), /Unknown model|not trusted/);
  });

  it('a withheld key, then allowed: the live API is contacted on the registry reload that follows, not a poll later', async () => {
    const host = started.add(await startLlamaSwapDouble({ models: [{ id: 'm', status: 'loaded' }], apiKeys: [SAM_KEY] }));
    let allowed = false;
    const registry = registryOf([llamaSwap('sam', host.url)]);
    rig = liveRig(registry, { credentials: () => (allowed ? SAM_KEY : { withheld: 'Not allowed yet.' }), pollIntervalMs: 600_000 });
    await waitFor('withheld', () => /Not allowed yet/.test(group(rig!, 'sam')?.state.liveReason ?? ''));
    allowed = true;
    rig.hub.setRegistry(registry);
    await rig.hub.refresh();
    await waitFor('live', () => group(rig!, 'sam')?.state.live === true);
    assert.equal(findEntry(rig.hub.view(), 'sam/m')?.state, 'ready');
  });
});
