import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Registry } from '../../src/core/registry/registry';
import { CONFIRMED_SECRET_URLS_KEY, isWithheld, SecretGate } from '../../src/core/trust/secretGate';
import type { ServerEndpoint } from '../../src/core/favorites/settingsApi';
import { FAVORITES_KEY } from '../../src/core/favorites/settingsApi';
import { startBooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { startDeepSeekDouble } from '../../doubles/deepseekDouble';
import { requestsCarrying } from '../../doubles/doubleServer';
import { llamaSwap, registryOf } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';
import { hostileFamily } from './family';
import { hostRig, Started } from './rigs';

const KEY = 'sk-hostile-trust-2c9d55';
const TOKEN = 'bct-hostile-trust-8e04';
const FROM_WORKSPACE = true;

/**
 * The gate as SecretStore builds it, with every question recorded. The user answers the questions
 * in order with `answers` (no answer: "no"), but only once `answer()` is called when `hold` is set:
 * until then the modal is open.
 */
function gate(options: { trusted: boolean; answers?: boolean[]; store?: MemoryStore; hold?: boolean }) {
  const asked: string[] = [];
  const answers = [...(options.answers ?? [])];
  const store = options.store ?? new MemoryStore();
  let release: () => void = () => undefined;
  const answered = options.hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const g = new SecretGate({
    store,
    isTrusted: () => options.trusted,
    ask: async (secret, url) => {
      asked.push(`${secret} -> ${url}`);
      await answered;
      return answers.shift() ?? false;
    },
  });
  return { gate: g, asked, store, answer: () => release() };
}

/** The registry a workspace's own settings would give. */
function fromWorkspace(registry: Registry): Registry {
  return { providers: registry.providers.map((p) => ({ ...p, origin: 'workspace-settings' as const })) };
}

hostileFamily('workspace trust', 'addresses from a workspace\'s configuration get no secret by themselves', function () {
  const started = new Started();
  afterEach(() => started.stopAll());

  it('an untrusted workspace that points deepseek elsewhere: no key, no request at all, and the reason', async () => {
    const elsewhere = started.add(await startDeepSeekDouble({ apiKey: 'anything' }));
    const { gate: g, asked } = gate({ trusted: false });
    const rig = hostRig(fromWorkspace(registryOf([{ id: 'deepseek', baseUrl: elsewhere.url }], { deepseekKey: true })), {
      credentials: (p) => g.release('DeepSeek API key', KEY, p.baseUrl, p.origin === 'workspace-settings'),
      secrets: [KEY],
    });
    await rig.refresh();
    const state = rig.snapshot().groups[0]?.state;
    assert.equal(state?.status, 'unauthorized');
    assert.equal(state?.reason, `Your DeepSeek API key is not sent to ${elsewhere.url}: that address comes from this workspace's configuration and the workspace is not trusted.`);
    assert.deepEqual(elsewhere.requests, [], 'the workspace\'s address got nothing at all');
    assert.deepEqual(asked, [], 'an untrusted workspace does not even get to ask');
    assert.deepEqual(rig.log.carrying(KEY), []);
  });

  it('a trusted workspace: one question naming the secret and the URL; the key goes only after a yes, remembered per URL', async () => {
    const ds = started.add(await startDeepSeekDouble({ apiKey: KEY }));
    const { gate: g, asked, store, answer } = gate({ trusted: true, answers: [true], hold: true });
    const rig = hostRig(fromWorkspace(registryOf([{ id: 'deepseek', baseUrl: ds.url }], { deepseekKey: true })), {
      credentials: (p) => g.release('DeepSeek API key', KEY, p.baseUrl, p.origin === 'workspace-settings'),
    });
    g.onDidChange(() => void rig.refresh()); // what SecretStore -> RegistrySources do
    await rig.refresh();
    assert.equal(rig.provider('deepseek')?.state.reason, `Your DeepSeek API key is not sent to ${ds.url} until you allow it: that address comes from this workspace's configuration.`);
    assert.deepEqual(ds.requests, [], 'nothing while the question is open');
    answer();
    await g.settled();
    await rig.refresh();
    assert.deepEqual(asked, [`DeepSeek API key -> ${ds.url}`], 'asked once');
    assert.equal(rig.provider('deepseek')?.state.status, 'online');
    assert.equal(requestsCarrying(ds.requests, KEY).length, ds.requests.length);
    assert.deepEqual(store.get(CONFIRMED_SECRET_URLS_KEY), [{ secret: 'DeepSeek API key', url: ds.url }]);
    // Another window (same global state) does not ask again; another URL or another secret does.
    const again = gate({ trusted: true, store });
    assert.equal(again.gate.release('DeepSeek API key', KEY, `${ds.url}/`, FROM_WORKSPACE), KEY);
    assert.ok(isWithheld(again.gate.release('DeepSeek API key', KEY, 'http://127.0.0.1:9', FROM_WORKSPACE)));
    assert.ok(isWithheld(again.gate.release('BooCode server token', TOKEN, ds.url, FROM_WORKSPACE)));
    await again.gate.settled();
    assert.deepEqual(again.asked, ['DeepSeek API key -> http://127.0.0.1:9', `BooCode server token -> ${ds.url}`]);
  });

  it('a "no" holds for the session: withheld, saying so, not asked again; a user-level URL is never asked about', async () => {
    const { gate: g, asked } = gate({ trusted: true, answers: [false] });
    g.release('DeepSeek API key', KEY, 'http://127.0.0.1:9', FROM_WORKSPACE);
    await g.settled();
    const answer = g.release('DeepSeek API key', KEY, 'http://127.0.0.1:9', FROM_WORKSPACE);
    assert.ok(isWithheld(answer) && /you did not allow it/.test(answer.withheld));
    await g.settled();
    assert.equal(asked.length, 1);
    const untrusted = gate({ trusted: false });
    assert.equal(untrusted.gate.release('DeepSeek API key', KEY, 'http://127.0.0.1:9', false), KEY);
    assert.equal(untrusted.gate.release('DeepSeek API key', undefined, 'http://127.0.0.1:9', FROM_WORKSPACE), undefined, 'no secret, nothing to hold back');
    assert.deepEqual(untrusted.asked, []);
  });

  it('a workspace-level server URL with a stored token: not contacted until allowed, stars queued, then written with the token', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-trust-'));
    started.add({ stop: () => fs.rmSync(dir, { recursive: true, force: true }) });
    const server = started.add(await startBooCodeServerDouble({ dataFile: path.join(dir, 's.json'), token: TOKEN, fsync: false }));
    const { gate: g, asked, answer } = gate({ trusted: true, answers: [true], hold: true });
    const endpoint = (): ServerEndpoint => {
      const answer = g.release('BooCode server token', TOKEN, server.url, FROM_WORKSPACE);
      return isWithheld(answer) ? { baseUrl: server.url, token: undefined, timeoutMs: 1000, withheld: answer.withheld } : { baseUrl: server.url, token: answer, timeoutMs: 1000 };
    };
    const rig = hostRig(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:9')]), { server: endpoint, secrets: [TOKEN] });
    await rig.hub.toggleFavorite('sam-desktop/qwen3');
    await rig.favorites.sync();
    const sync = rig.snapshot().sync;
    assert.deepEqual([sync.state, sync.pending], ['unauthorized', 1]);
    assert.match(sync.message ?? '', /BooCode server token is not sent to .* until you allow it/);
    assert.deepEqual(server.requests, [], 'not contacted, with or without the token');
    assert.deepEqual(rig.favorites.list(), ['sam-desktop/qwen3'], 'the star is shown and kept');
    answer();
    await g.settled();
    await rig.favorites.sync();
    assert.deepEqual([rig.favorites.getStatus().state, rig.favorites.getStatus().pending], ['synced', 0]);
    assert.deepEqual(server.peek(FAVORITES_KEY), ['sam-desktop/qwen3']);
    assert.ok(server.requests.length > 0 && requestsCarrying(server.requests, TOKEN).length === server.requests.length);
    assert.deepEqual(asked, [`BooCode server token -> ${server.url}`]);
    assert.deepEqual(rig.log.carrying(TOKEN), []);
  });

  it('the same address from an untrusted workspace: the token is never sent and the stars stay queued', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-hostile-trust-'));
    started.add({ stop: () => fs.rmSync(dir, { recursive: true, force: true }) });
    const server = started.add(await startBooCodeServerDouble({ dataFile: path.join(dir, 's.json'), fsync: false }));
    const { gate: g } = gate({ trusted: false });
    const answer = g.release('BooCode server token', TOKEN, server.url, FROM_WORKSPACE);
    assert.ok(isWithheld(answer));
    const rig = hostRig(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:9')]), {
      server: () => ({ baseUrl: server.url, token: undefined, timeoutMs: 1000, withheld: answer.withheld }),
    });
    await rig.hub.toggleFavorite('sam-desktop/qwen3');
    for (let i = 0; i < 3; i++) await rig.favorites.sync();
    assert.deepEqual([rig.favorites.getStatus().state, rig.favorites.getStatus().pending], ['unauthorized', 1]);
    assert.match(rig.favorites.getStatus().message ?? '', /BooCode server token is not sent to .*not trusted/);
    assert.deepEqual(server.requests, []);
    assert.equal(rig.log.raw.filter((line) => line.includes('not trusted')).length, 1, 'said once, not on every refresh');
  });
});
