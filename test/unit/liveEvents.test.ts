import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { backoffDelay } from '../../src/core/live/backoff';
import { parseLiveFrame, parseRunning } from '../../src/core/live/events';
import { LoadTimes, LOAD_TIMES_KEY } from '../../src/core/live/loadTimes';
import type { Provider } from '../../src/core/registry/registry';
import { MemoryStore } from '../fakes/memoryStore';

/** A frame exactly as llama-swap's encoder writes it: the inner data is JSON in a string. */
function frame(type: string, data: unknown): string {
  return JSON.stringify({ type, data: JSON.stringify(data) });
}

function countingParses(run: () => void): number {
  const original = JSON.parse;
  let calls = 0;
  JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
    calls += 1;
    return original(text, reviver);
  }) as typeof JSON.parse;
  try {
    run();
  } finally {
    JSON.parse = original;
  }
  return calls;
}

const host = (id: string, baseUrl = `http://127.0.0.1:1/${id}`): Provider => ({
  id,
  kind: 'llama-swap',
  baseUrl,
  label: id,
  default: false,
  contextWindow: new Map(),
  origin: 'user-settings',
});

describe('live events: reading /api/events frames', () => {
  it('reads every model state of a modelStatus list (shutdown is stopped; peers have no state)', () => {
    const event = parseLiveFrame(
      frame('modelStatus', [
        { id: 'a', state: 'ready', peerID: '' },
        { id: 'b', state: 'starting', peerID: '' },
        { id: 'c', state: 'stopping' },
        { id: 'd', state: 'stopped' },
        { id: 'e', state: 'shutdown' },
        { id: 'peer1/x', state: '', peerID: 'peer1' },
      ]),
    );
    assert.equal(event.kind, 'modelStatus');
    if (event.kind !== 'modelStatus') return;
    assert.deepEqual(Object.fromEntries(event.models), { a: 'ready', b: 'starting', c: 'stopping', d: 'stopped', e: 'stopped' });
    assert.deepEqual([...event.peers], ['peer1/x']);
  });

  it('skips a log frame without parsing it at all, and parses a state frame exactly twice', () => {
    const log = frame('logData', { source: 'upstream', data: 'x'.repeat(100_000) });
    assert.equal(countingParses(() => assert.equal(parseLiveFrame(log).kind, 'skipped')), 0);
    const status = frame('modelStatus', [{ id: 'a', state: 'ready' }]);
    assert.equal(countingParses(() => assert.equal(parseLiveFrame(status).kind, 'modelStatus')), 2);
    assert.equal(parseLiveFrame(frame('uiConfig', {})).kind, 'skipped');
  });

  it('keeps only the ids of requests in flight, never their headers or addresses', () => {
    const request = { id: 'r1', model: 'a', req_headers: { 'X-Team': 'payroll', Authorization: '[REDACTED]' }, remote_ip: '192.168.7.41' };
    const snapshot = parseLiveFrame(frame('inflight', { operation: 'snapshot', requests: [request, { ...request, id: 'r2' }] }));
    assert.deepEqual(snapshot, { kind: 'inflight', operation: 'snapshot', ids: ['r1', 'r2'] });
    const upsert = parseLiveFrame(frame('inflight', { operation: 'upsert', request }));
    assert.deepEqual(upsert, { kind: 'inflight', operation: 'upsert', id: 'r1' });
    assert.ok(!JSON.stringify([snapshot, upsert]).includes('192.168') && !JSON.stringify([snapshot, upsert]).includes('payroll'));
    assert.deepEqual(parseLiveFrame(frame('inflight', { operation: 'remove', id: 'r1' })), { kind: 'inflight', operation: 'remove', id: 'r1' });
    assert.deepEqual(parseLiveFrame(frame('inflight', { operation: 'snapshot', requests: null })), { kind: 'inflight', operation: 'snapshot', ids: [] });
  });

  it('says what was wrong with a frame, without quoting it', () => {
    const secret = 'sk-leaky-123456';
    for (const bad of [`{"type":"modelStatus","data":"${secret}"}`, `not json ${secret}`, JSON.stringify({ type: 'modelStatus', data: 5 })]) {
      const event = parseLiveFrame(bad);
      assert.equal(event.kind, 'bad');
      assert.ok(!JSON.stringify(event).includes(secret));
    }
  });

  it('never throws, whatever the host sends (fast-check)', () => {
    const envelope = fc.record({ type: fc.constantFrom('modelStatus', 'inflight', 'activity', 'logData', 'x'), data: fc.oneof(fc.string(), fc.json(), fc.anything()) });
    fc.assert(
      fc.property(fc.oneof(fc.string(), envelope.map((e) => JSON.stringify(e)), fc.json()), (text) => {
        const event = parseLiveFrame(text);
        assert.ok(['skipped', 'modelStatus', 'inflight', 'activity', 'bad'].includes(event.kind));
      }),
      { numRuns: 500 },
    );
  });

  it('reads /running as the set of processes not stopped', () => {
    const parsed = parseRunning({ running: [{ model: 'a', state: 'ready' }, { model: 'b', state: 'starting' }, { model: 7, state: 'ready' }] });
    assert.ok(parsed.ok);
    if (parsed.ok) assert.deepEqual(Object.fromEntries(parsed.models), { a: 'ready', b: 'starting' });
    assert.equal(parseRunning('<html>').ok, false);
  });
});

describe('live events: reconnect backoff', () => {
  it('waits between half and all of a doubling ceiling, never more than the cap (fast-check)', () => {
    const policy = { baseMs: 1000, capMs: 60_000 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, random) => {
        const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
        const delay = backoffDelay(attempt, random, policy);
        assert.ok(delay >= ceiling / 2 - 1 && delay <= ceiling, `${attempt}: ${delay}`);
      }),
    );
    assert.equal(backoffDelay(0, 0, policy), 500);
    assert.equal(backoffDelay(3, 0.999999, policy), 8000);
    assert.equal(backoffDelay(50, 0.999999, policy), 60_000);
  });

  it('spreads hosts that fail together (jitter)', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelay(4, r)));
    assert.equal(delays.size, 5);
  });
});

describe('live events: learned load times', () => {
  it('is the median of the last observed loads, per host and model, and survives a reload', () => {
    const store = new MemoryStore();
    const times = new LoadTimes(store);
    for (const ms of [20_000, 26_000, 25_000]) times.record(host('sam'), 'qwen', ms);
    times.record(host('ann'), 'qwen', 4_000);
    assert.equal(times.typical(host('sam'), 'qwen'), 25);
    assert.equal(times.typical(host('ann'), 'qwen'), 4);
    assert.equal(times.typical(host('sam'), 'other'), undefined);
    const reloaded = new LoadTimes(store);
    assert.equal(reloaded.typical(host('sam'), 'qwen'), 25);
    // The same id at another address is another machine.
    assert.equal(reloaded.typical(host('sam', 'http://127.0.0.1:2'), 'qwen'), undefined);
  });

  it('keeps the last five loads and ignores impossible ones (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000, max: 10_000_000 }), { maxLength: 30 }), (samples) => {
        const store = new MemoryStore();
        const times = new LoadTimes(store);
        for (const ms of samples) times.record(host('h'), 'm', ms);
        const kept = store.get<Record<string, Record<string, number[]>>>(LOAD_TIMES_KEY)?.[`h http://127.0.0.1:1/h`]?.['m'] ?? [];
        assert.ok(kept.length <= 5);
        const valid = samples.filter((ms) => ms >= 0 && ms <= 3_600_000);
        assert.equal(kept.length, Math.min(5, valid.length));
        const typical = times.typical(host('h'), 'm');
        if (valid.length === 0) assert.equal(typical, undefined);
        else assert.ok(typical !== undefined && typical >= 1 && typical <= 3600);
      }),
    );
  });

  it('reads a corrupt stored value as nothing learned', () => {
    const store = new MemoryStore();
    void store.set(LOAD_TIMES_KEY, { 'h x': { m: ['slow'] } });
    assert.equal(new LoadTimes(store).typical(host('h', 'x'), 'm'), undefined);
  });
});
