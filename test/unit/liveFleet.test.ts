import { strict as assert } from 'node:assert';
import type { StreamOpenResult } from '../../src/core/chat/chatCompletion';
import { HostLive } from '../../src/core/live/hostLive';
import type { Timers } from '../../src/core/live/ports';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { registryOf, llamaSwap } from '../builders';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { MemoryStore } from '../fakes/memoryStore';
import { waitFor } from '../integration/waitFor';
import { liveRig, type LiveRig } from '../liveRig';
import { findEntry } from '../../src/core/catalog/catalogView';

const OPEN_TIMEOUT_MS = 12_345;

/** Timers a test fires by hand, so waits are checked without waiting. */
class ManualTimers implements Timers {
  readonly pending = new Map<number, { ms: number; fire: () => void }>();
  private next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { ms, fire: callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Waits for the engine to ask for its next wait, returns it and lets it pass. */
  async nextWait(): Promise<number> {
    for (let i = 0; i < 100; i++) {
      const found = [...this.pending].find(([, t]) => t.ms !== OPEN_TIMEOUT_MS);
      if (found) {
        this.pending.delete(found[0]);
        found[1].fire();
        return found[1].ms;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('the engine asked for no wait');
  }
}

describe('live fleet: connection state machine', () => {
  it('retries a failing host with doubling waits up to the cap, and says why', async () => {
    const timers = new ManualTimers();
    let opens = 0;
    const live = new HostLive({
      provider: registryOf([llamaSwap('sam', 'http://127.0.0.1:9')]).providers[0]!,
      client: {
        getStream: async (): Promise<StreamOpenResult> => {
          opens += 1;
          return { kind: 'network', detail: 'Connection refused: nothing is listening at that address.' };
        },
      },
      http: new FetchHttpClient(),
      clock: { now: () => 0 },
      timers,
      random: () => 0.999999,
      credentialFor: async () => undefined,
      timeoutMs: () => OPEN_TIMEOUT_MS,
      pollIntervalMs: () => 30_000,
      stallMs: 60_000,
      backoff: { baseMs: 1000, capMs: 8000 },
      onChange: () => undefined,
      onLoaded: () => undefined,
      onActivity: () => undefined,
    });
    live.start();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await timers.nextWait());
    live.dispose();
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000, 8000]);
    assert.ok(opens >= 6);
    assert.equal(live.state.mode, 'retrying');
    assert.match(live.state.reason ?? '', /Connection refused/);
  });
});

describe('live fleet: against the llama-swap double over loopback', function () {
  let doubles: LlamaSwapDouble[] = [];
  let rig: LiveRig | undefined;
  afterEach(async () => {
    rig?.stop();
    rig = undefined;
    await Promise.all(doubles.map((d) => d.stop()));
    doubles = [];
  });

  async function host(options: Parameters<typeof startLlamaSwapDouble>[0]): Promise<LlamaSwapDouble> {
    const double = await startLlamaSwapDouble(options);
    doubles.push(double);
    return double;
  }

  const entry = (r: LiveRig, id: string) => findEntry(r.hub.view(), id);

  it('shows each model exactly as the host runs it, live, without polling the host', async () => {
    const sam = await host({ models: [{ id: 'qwen3-coder-30b', status: 'loaded' }, { id: 'Qwen3-8B' }, { id: 'peer-m', peerID: 'ann' }] });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]));
    await rig.hub.refresh();
    await waitFor('live state', () => rig?.hub.view().groups[0]?.state.live === true);
    assert.equal(entry(rig, 'sam/qwen3-coder-30b')?.state, 'ready');
    assert.equal(entry(rig, 'sam/Qwen3-8B')?.state, 'stopped');
    assert.equal(entry(rig, 'sam/ann/peer-m')?.state, undefined, 'a peer model has no local state');
    // /v1/models calls a starting model loaded; the live state says what it is.
    sam.setState('Qwen3-8B', 'starting');
    await waitFor('starting', () => entry(rig!, 'sam/Qwen3-8B')?.state === 'starting');
    assert.equal(entry(rig, 'sam/Qwen3-8B')?.loaded, false);
    sam.setState('Qwen3-8B', 'ready');
    await waitFor('ready', () => entry(rig!, 'sam/Qwen3-8B')?.state === 'ready');
    assert.equal(entry(rig, 'sam/Qwen3-8B')?.loaded, true);
    assert.equal(sam.requests.filter((r) => r.pathname === '/running').length, 0, 'a live host is not polled');
    assert.equal(sam.requests.filter((r) => r.pathname === '/api/events').length, 1, 'one stream');
  });

  it('counts requests in flight and keeps nothing else of them', async () => {
    const sam = await host({ models: [{ id: 'm', status: 'loaded' }] });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]));
    await rig.hub.refresh();
    await waitFor('live', () => rig?.hub.view().groups[0]?.state.live === true);
    const a = sam.startInflight('m', { 'X-Team': 'payroll-team', 'User-Agent': 'someone-else' });
    sam.startInflight('m');
    await waitFor('two in flight', () => rig?.hub.view().groups[0]?.state.inFlight === 2);
    sam.endInflight(a);
    await waitFor('one in flight', () => rig?.hub.view().groups[0]?.state.inFlight === 1);
    const everything = JSON.stringify([rig.hub.view(), rig.logLines]);
    assert.ok(!everything.includes('192.168.7.41') && !everything.includes('payroll-team') && !everything.includes('someone-else'));
  });

  it('learns how long a model takes to load, per host, and keeps it across a reload', async () => {
    const sam = await host({ models: [{ id: 'm' }] });
    const store = new MemoryStore();
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]), { store });
    await rig.hub.refresh();
    await waitFor('live', () => rig?.hub.view().groups[0]?.state.live === true);
    assert.equal(entry(rig, 'sam/m')?.loadSeconds, undefined);
    rig.setTime(1_000_000);
    sam.setState('m', 'starting');
    await waitFor('starting', () => entry(rig!, 'sam/m')?.state === 'starting');
    assert.equal(entry(rig, 'sam/m')?.loadingSince, 1_000_000);
    rig.setTime(1_025_000);
    sam.setState('m', 'ready');
    await waitFor('ready', () => entry(rig!, 'sam/m')?.state === 'ready');
    assert.equal(entry(rig, 'sam/m')?.loadSeconds, 25);
    rig.stop();
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]), { store });
    await rig.hub.refresh();
    assert.equal(entry(rig, 'sam/m')?.loadSeconds, 25, 'after a reload');
  });

  it('does not learn a load it did not see start (a connection that begins mid-load)', async () => {
    const sam = await host({ models: [{ id: 'm' }] });
    sam.setState('m', 'starting');
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]));
    await rig.hub.refresh();
    await waitFor('starting', () => entry(rig!, 'sam/m')?.state === 'starting');
    sam.setState('m', 'ready');
    await waitFor('ready', () => entry(rig!, 'sam/m')?.state === 'ready');
    assert.equal(entry(rig, 'sam/m')?.loadSeconds, undefined);
  });

  it('follows a chat that starts a stopped model on a swap host: the running one stops, the new one loads', async () => {
    const sam = await host({ models: [{ id: 'a', status: 'loaded' }, { id: 'b' }], startMs: 300, swap: true });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]));
    await rig.hub.refresh();
    await waitFor('live', () => rig?.hub.view().groups[0]?.state.live === true);
    const seen = new Set<string>();
    const sub = rig.hub.onDidChange(() => {
      const b = entry(rig!, 'sam/b')?.state;
      const a = entry(rig!, 'sam/a')?.state;
      seen.add(`a:${a} b:${b}`);
    });
    const chat = fetch(`${sam.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'b', messages: [{ role: 'user', content: 'hi' }] }) });
    await waitFor('b ready', () => entry(rig!, 'sam/b')?.state === 'ready');
    await (await chat).text();
    sub.dispose();
    assert.equal(entry(rig, 'sam/a')?.state, 'stopped');
    assert.ok(seen.has('a:stopped b:starting'), [...seen].join(', '));
  });

  it('polls /running at the refresh interval for an older host without /api/events', async () => {
    const old = await host({ models: [{ id: 'm', status: 'loaded' }, { id: 'n' }], oldHost: true });
    rig = liveRig(registryOf([llamaSwap('old', old.url)]), { pollIntervalMs: 150 });
    await rig.hub.refresh();
    await waitFor('polled state', () => entry(rig!, 'old/m')?.state === 'ready');
    const group = rig.hub.view().groups[0];
    assert.equal(group?.state.live, false);
    assert.match(group?.state.liveReason ?? '', /no \/api\/events.*\/running/);
    assert.equal(entry(rig, 'old/n')?.state, 'stopped');
    old.setState('n', 'ready');
    await waitFor('next poll', () => entry(rig!, 'old/n')?.state === 'ready');
    const events = old.requests.filter((r) => r.pathname === '/api/events').length;
    assert.ok(events <= 2, `asked for /api/events ${events} times`);
  });

  it('reconnects when the host ends the stream, and reads the state again', async () => {
    const sam = await host({ models: [{ id: 'm' }] });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]));
    await rig.hub.refresh();
    await waitFor('live', () => rig?.hub.view().groups[0]?.state.live === true);
    sam.events.disconnectAll();
    sam.setState('m', 'ready');
    await waitFor('state after reconnect', () => entry(rig!, 'sam/m')?.state === 'ready' && rig?.hub.view().groups[0]?.state.live === true);
    assert.ok(sam.requests.filter((r) => r.pathname === '/api/events').length >= 2);
  });

  it('reconnects a stream that went silent while the host runs something else (checked with one /running)', async () => {
    const sam = await host({ models: [{ id: 'm' }] });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url)]), { stallMs: 200 });
    await rig.hub.refresh();
    await waitFor('live', () => rig?.hub.view().groups[0]?.state.live === true);
    // Silence while nothing changes is normal: llama-swap sends no keep-alives.
    await waitFor('a check', () => sam.requests.some((r) => r.pathname === '/running'));
    assert.equal(sam.requests.filter((r) => r.pathname === '/api/events').length, 1, 'an idle stream is kept');
    sam.setEventsFault('stall');
    sam.events.disconnectAll();
    await waitFor('stalled stream open', () => sam.requests.filter((r) => r.pathname === '/api/events').length >= 2);
    sam.setEventsFault('none');
    sam.setState('m', 'ready');
    await waitFor('state after the stall', () => entry(rig!, 'sam/m')?.state === 'ready');
  });

  it('fetches measured speed lazily for favorites and the active model, never with a model-routed request', async () => {
    const sam = await host({ models: [{ id: 'fast' }, { id: 'slow' }, { id: 'none' }], speeds: { fast: 88.4, slow: 12 } });
    const ann = await host({ models: [{ id: 'fast' }], speeds: { fast: 41 } });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url), llamaSwap('ann', ann.url)]));
    await rig.hub.refresh();
    await rig.hub.toggleFavorite('sam/fast');
    await rig.hub.toggleFavorite('ann/fast');
    await rig.hub.toggleFavorite('sam/none');
    await rig.hub.refresh();
    await waitFor('speeds', () => entry(rig!, 'ann/fast')?.tokensPerSecond !== undefined);
    assert.equal(entry(rig, 'sam/fast')?.tokensPerSecond, 88.4);
    assert.equal(entry(rig, 'ann/fast')?.tokensPerSecond, 41);
    assert.equal(entry(rig, 'sam/none')?.tokensPerSecond, undefined, 'no recorded requests');
    assert.equal(entry(rig, 'sam/slow')?.tokensPerSecond, undefined, 'not asked for: not a favorite');
    const stats = sam.requests.filter((r) => r.pathname === '/api/metrics/stats').length;
    await rig.hub.refresh();
    assert.equal(sam.requests.filter((r) => r.pathname === '/api/metrics/stats').length, stats, 'cached');
    assert.deepEqual([...sam.loadingCalls, ...ann.loadingCalls], []);
    assert.deepEqual([...sam.loads, ...ann.loads], []);
  });

  it('unloads a model with its own host credential only, and the state follows', async () => {
    const sam = await host({ models: [{ id: 'Qwen/Qwen3-8B', status: 'loaded' }], apiKeys: ['sam-key-1234'], stopMs: 100 });
    const ann = await host({ models: [{ id: 'x' }], apiKeys: ['ann-key-5678'] });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url), llamaSwap('ann', ann.url)]), {
      credentials: (p) => (p.id === 'sam' ? 'sam-key-1234' : 'ann-key-5678'),
    });
    await rig.hub.refresh();
    await waitFor('live', () => entry(rig!, 'sam/Qwen/Qwen3-8B')?.state === 'ready');
    await rig.hub.unloadModel('sam/Qwen/Qwen3-8B');
    assert.deepEqual(sam.unloads, ['Qwen/Qwen3-8B']);
    await waitFor('stopped', () => entry(rig!, 'sam/Qwen/Qwen3-8B')?.state === 'stopped');
    const unload = sam.requests.find((r) => r.pathname.startsWith('/api/models/unload'));
    assert.equal(unload?.headers.authorization, 'Bearer sam-key-1234');
    assert.ok(!ann.requests.some((r) => JSON.stringify(r.headers).includes('sam-key-1234')));
  });

  it('unloads every model of a host ("unload all")', async () => {
    const sam = await host({ models: [{ id: 'a', status: 'loaded' }, { id: 'b', status: 'loaded' }] });
    const old = await host({ models: [{ id: 'c', status: 'loaded' }], oldHost: true });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url), llamaSwap('old', old.url)]));
    await rig.hub.refresh();
    await rig.hub.unloadAll('sam');
    await rig.hub.unloadAll('old');
    assert.deepEqual([sam.stateOf('a'), sam.stateOf('b'), old.stateOf('c')], ['stopped', 'stopped', 'stopped']);
    assert.ok(old.requests.some((r) => r.method === 'GET' && r.pathname === '/unload'), 'the older route on an older host');
  });

  it('rejects an unload with the reason: unknown model, not llama-swap, peer model, host error', async () => {
    const sam = await host({ models: [{ id: 'm', status: 'loaded' }, { id: 'p', peerID: 'ann' }] });
    const other = await host({ models: [{ id: 'o' }] });
    rig = liveRig(registryOf([llamaSwap('sam', sam.url), { id: 'vllm', kind: 'openai-compatible', baseUrl: `${other.url}/v1` }]), { unloadTimeoutMs: 300 });
    await rig.hub.refresh();
    await assert.rejects(rig.hub.unloadModel('sam/nope'), /Unknown model "sam\/nope"/);
    await assert.rejects(rig.hub.unloadModel('nohost/m'), /nohost|provider/i);
    await assert.rejects(rig.hub.unloadModel('sam/ann/p'), /peer model/);
    sam.setUnloadFault('500');
    await assert.rejects(rig.hub.unloadModel('sam/m'), /could not unload m: HTTP 500: failed to stop process/);
    sam.setUnloadFault('404');
    await assert.rejects(rig.hub.unloadModel('sam/m'), /HTTP 404/);
    sam.setUnloadFault('hang');
    await assert.rejects(rig.hub.unloadModel('sam/m'), /did not finish unloading m within/);
  });
});
