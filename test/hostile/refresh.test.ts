import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeHost } from '../../src/core/catalog/probe';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { startBooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import type { HostBehavior } from '../../doubles/hostBehavior';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { llamaSwap, registryOf } from '../builders';
import { hostileFamily } from './family';
import { hostRig, Started } from './rigs';

const TIMEOUT_MS = 1500;
/**
 * A refresh settles within one timeout of its call. The margin is generous (0.6 of a timeout) so
 * a loaded machine does not trip it, yet well under the second timeout a refresh that waits for
 * the check already under way and then starts another one takes (~2 timeouts after the call).
 */
const SETTLED_WITHIN_MS = TIMEOUT_MS * 1.6;

/** A host that accepts connections and never answers (not even HTTP headers). */
async function startSilentHost(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

hostileFamily('hosts', 'Refresh Models while a check of a faulty host is under way', function () {
  const started = new Started();
  afterEach(() => started.stopAll());

  const faults: readonly { readonly name: string; readonly behavior: HostBehavior | 'silent socket' }[] = [
    { name: 'accepts the connection and never answers', behavior: 'silent socket' },
    { name: 'reads the request and never answers', behavior: 'hang' },
    { name: 'sends headers, then stalls the body', behavior: 'stall' },
    { name: 'sends headers, then one byte now and then', behavior: 'trickle' },
  ];

  for (const fault of faults) {
    it(`a host that ${fault.name}: a refresh during its check settles within one timeout, the healthy host stays online`, async () => {
      const healthy = started.add(await startLlamaSwapDouble({ label: 'healthy', models: [{ id: 'steady' }] }));
      const url =
        fault.behavior === 'silent socket'
          ? started.add(await startSilentHost()).url
          : started.add(await startLlamaSwapDouble({ models: [{ id: 'qwen3' }], behavior: fault.behavior, trickleIntervalMs: 300 })).url;
      const rig = hostRig(registryOf([llamaSwap('healthy', healthy.url), llamaSwap('faulty', url)]), { timeoutMs: TIMEOUT_MS });
      const first = rig.refresh();
      await sleep(100); // the first check of the faulty host is under way
      const elapsed = await timed(() => rig.refresh());
      await first;
      assert.ok(elapsed < SETTLED_WITHIN_MS, `the second refresh settled ${Math.round(elapsed)} ms after its call (timeout ${TIMEOUT_MS} ms)`);
      assert.equal(rig.provider('faulty')?.state.status, 'offline');
      assert.equal(rig.provider('faulty')?.state.checking, undefined, 'no check is shown as running once every refresh settled');
      assert.equal(rig.provider('healthy')?.state.status, 'online');
    });
  }

  it('refreshes every 400 ms while a host never answers: each one settles within one timeout of its call', async () => {
    const silent = started.add(await startSilentHost());
    const rig = hostRig(registryOf([llamaSwap('faulty', silent.url)]), { timeoutMs: TIMEOUT_MS });
    const durations = await Promise.all(
      [0, 400, 800, 1200].map(async (delay) => {
        await sleep(delay);
        return timed(() => rig.refresh());
      }),
    );
    for (const ms of durations) assert.ok(ms < SETTLED_WITHIN_MS, `settled after ${durations.map(Math.round).join(', ')} ms`);
    assert.equal(rig.provider('faulty')?.state.status, 'offline');
  });

  it('Refresh Models while the BooCode server never answers a favorites sync: settles within one timeout of the call', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-refresh-'));
    started.add({ stop: () => fs.rmSync(dir, { recursive: true, force: true }) });
    const server = started.add(await startBooCodeServerDouble({ dataFile: path.join(dir, 'settings.json'), token: 'tok', fsync: false }));
    const healthy = started.add(await startLlamaSwapDouble({ label: 'healthy', models: [{ id: 'steady' }] }));
    const rig = hostRig(registryOf([llamaSwap('healthy', healthy.url)]), {
      timeoutMs: TIMEOUT_MS,
      server: () => ({ baseUrl: server.url, token: 'tok', timeoutMs: TIMEOUT_MS }),
    });
    await rig.refresh();
    await server.setFault('hang');
    const first = rig.refresh();
    await sleep(100);
    const elapsed = await timed(() => rig.refresh());
    await first;
    assert.ok(elapsed < SETTLED_WITHIN_MS, `the second refresh settled ${Math.round(elapsed)} ms after its call (timeout ${TIMEOUT_MS} ms)`);
    assert.equal(rig.provider('healthy')?.state.status, 'online');
  });

  it('Add Provider: a host whose /health answers but whose model lists hang is judged within one timeout', async () => {
    const host = started.add(await startLlamaSwapDouble({ models: [{ id: 'qwen3' }], behavior: 'hang' }));
    let result: Awaited<ReturnType<typeof probeHost>> | undefined;
    const elapsed = await timed(async () => (result = await probeHost(new FetchHttpClient(), host.url, TIMEOUT_MS)));
    assert.ok(elapsed < SETTLED_WITHIN_MS, `the probe took ${Math.round(elapsed)} ms (timeout ${TIMEOUT_MS} ms)`);
    assert.deepEqual(result, { kind: 'unreachable', reason: `it answers /health, but its model list gave no answer within ${TIMEOUT_MS} ms` });
  });
});
