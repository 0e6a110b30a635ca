import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redact } from '../../src/core/trust/redact';
import { type ToWebview } from '../../src/shared/protocol';
import { compactSnapshot, snapshotSchema } from '../../src/shared/catalog';
import { receiveFromView, type PickerActions } from '../../src/core/picker/pickerMessages';
import { startBooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { startDeepSeekDouble } from '../../doubles/deepseekDouble';
import { requestsCarrying, type RecordedRequest } from '../../doubles/doubleServer';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { llamaSwap, registryOf } from '../builders';
import { useHarness } from '../webview/harness';
import { openPicker } from '../webview/pickerPage';
import { hostileFamily } from './family';
import { hostRig, Started } from './rigs';

const KEY = 'sk-hostile-deepseek-6b0e41';
const HOST_KEY = 'lsk-hostile-host-93c2';
const TOKEN = 'bct-hostile-server-1f7d';
const SECRETS = [KEY, HOST_KEY, TOKEN];

hostileFamily('secrets', 'the DeepSeek key, host keys and the server token stay where they belong', function () {
  this.timeout(120_000);
  const started = new Started();
  afterEach(() => started.stopAll());
  const harness = useHarness();

  it('each secret goes only to its own base URL, and into no log line, view message or view state, even when hosts echo it', async () => {
    const ds = started.add(await startDeepSeekDouble({ apiKey: KEY }));
    const open = started.add(await startLlamaSwapDouble({ label: 'open', models: [{ id: 'qwen3' }] }));
    const locked = started.add(await startLlamaSwapDouble({ label: 'locked', models: [{ id: 'big' }], apiKeys: [HOST_KEY] }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-sec-'));
    started.add({ stop: () => fs.rmSync(dir, { recursive: true, force: true }) });
    const server = started.add(await startBooCodeServerDouble({ dataFile: path.join(dir, 's.json'), token: TOKEN, fsync: false }));
    const registry = registryOf(
      [llamaSwap('open', open.url), llamaSwap('locked', locked.url, { apiKeyEnv: 'LOCKED_KEY' }), { id: 'deepseek', baseUrl: ds.url }],
      { deepseekKey: true },
    );
    const keys: Record<string, string> = { deepseek: KEY, locked: HOST_KEY };
    const rig = hostRig(registry, {
      credentials: (p) => keys[p.id],
      server: () => ({ baseUrl: server.url, token: TOKEN, timeoutMs: 1000 }),
      secrets: SECRETS,
    });
    await rig.refresh();
    await rig.hub.toggleFavorite('deepseek/deepseek-flash');
    await rig.hub.setActiveModel('locked/big');
    await rig.favorites.sync();
    assert.equal(rig.favorites.getStatus().state, 'synced');
    const healthy = rig.snapshot();
    // Then every one of them misbehaves, in ways that tend to echo what they were sent.
    ds.setBehavior({ kind: 'raw', text: KEY.slice(0, 9) });
    locked.setBehavior({ kind: 'raw', status: 400, text: `bad key ${HOST_KEY}` });
    await server.setFault('garbage');
    await rig.hub.toggleFavorite('open/qwen3');
    await rig.refresh();
    const broken = rig.snapshot();
    assert.deepEqual(broken.groups.map((g) => g.state.status), ['online', 'invalid', 'invalid']);
    assert.equal(broken.sync.state, 'invalid');

    const carrying = (requests: readonly RecordedRequest[], secret: string): number => requestsCarrying(requests, secret).length;
    assert.ok(ds.requests.length >= 2 && carrying(ds.requests, KEY) === ds.requests.length, 'DeepSeek got its key, every time');
    assert.ok(locked.requests.length >= 2 && carrying(locked.requests, HOST_KEY) === locked.requests.length);
    assert.ok(server.requests.length >= 2 && carrying(server.requests, TOKEN) === server.requests.length);
    for (const [name, requests, own] of [
      ['DeepSeek', ds.requests, KEY],
      ['the open host', open.requests, undefined],
      ['the locked host', locked.requests, HOST_KEY],
      ['the server', server.requests, TOKEN],
    ] as const) {
      for (const secret of SECRETS.filter((s) => s !== own)) assert.equal(carrying(requests, secret), 0, `${name} never saw ${secret}`);
    }

    // The webview: the messages it is sent, what it posts back, and what it keeps.
    const p = await openPicker(harness.browser(), harness.server());
    started.add({ stop: () => p.close() });
    for (const snapshot of [healthy, broken]) {
      assert.ok(snapshotSchema.safeParse(compactSnapshot(snapshot)).success);
      await p.sendSnapshot(snapshot);
    }
    // The view keeps only its UI state (no catalog): a filter makes it write one.
    await p.page.fill('.search-input', 'deepseek');
    const state = await p.waitForSavedState((s) => JSON.stringify(s ?? null).includes('"filter":"deepseek"'));
    const everything = [JSON.stringify([healthy, broken, state, await p.posted()]), ...rig.log.raw].join('\n');
    assert.ok(everything.includes('deepseek-flash'), 'the catalog is there');
    for (const secret of SECRETS) {
      assert.ok(!everything.includes(secret), `${secret} leaked`);
      assert.ok(!everything.includes(secret.slice(0, 9)), `the start of ${secret} leaked`);
    }
    assert.deepEqual(await p.cspViolations(), []);
  });

  it('an error answered to the view is scrubbed of every secret the host knows, whatever threw it', async () => {
    const posted: ToWebview[] = [];
    const fail = async (): Promise<void> => {
      throw new Error(`POST http://127.0.0.1:9/session failed: Authorization: Bearer ${TOKEN}; key ${KEY}`);
    };
    const actions: PickerActions = {
      ready: () => undefined,
      refresh: fail,
      openRegistry: fail,
      addProvider: fail,
      focusNextPart: fail,
      select: fail,
      toggleFavorite: fail,
      modelAction: fail,
      post: (message) => void posted.push(message),
      warn: () => undefined,
      scrub: (text) => redact(text, SECRETS), // what Log.redact does with the secrets known now
    };
    await receiveFromView({ type: 'request', requestId: 7, request: { method: 'modelAction', action: 'pushToOpencode', id: 'a/b' } }, actions);
    assert.equal(posted.length, 1);
    const answer = posted[0];
    assert.ok(answer?.type === 'response' && !answer.ok);
    assert.match(answer.error ?? '', /failed: Authorization: Bearer «redacted»; key «redacted»/);
    for (const secret of SECRETS) assert.ok(!JSON.stringify(posted).includes(secret));
  });
});
