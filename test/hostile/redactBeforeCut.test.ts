/**
 * Every place text from a host, a server or a file is shortened: a secret that straddles the cut
 * must leave nothing of itself behind. Each case puts the secret across the cut at several offsets
 * and looks for any piece of it (5 characters or more) in what the user, the log or the view gets.
 */
import { strict as assert } from 'node:assert';
import { BooCoderApi } from '../../src/core/push/booCoderApi';
import { ChatFailure, runChat } from '../../src/core/chat/chatCompletion';
import { identityContext } from '../../src/core/identity/modelIdentity';
import { OpencodeApi } from '../../src/core/push/opencodeApi';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import { resolveRoute } from '../../src/core/chat/routing';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { FetchStreamingClient } from '../../src/http/fetchStreamingClient';
import { buildSnapshot } from '../../src/core/picker/pickerMessages';
import { llamaSwap, registryOf } from '../builders';
import { startLlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { hostileFamily } from './family';
import { hostRig, Started } from './rigs';

const KEY = 'lsk-5be1c07a93d2f8e61b0c';
const TOKEN = 'bct-9d44e2a7c1f03b58e6d2';
const PASSWORD = 'oc-71f0aa3c9e25d84b06f1';

/** Any piece of `secret` of 5 characters or more that `text` holds. */
function pieces(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let start = 0; start < secret.length; start++) {
    for (let end = start + 5; end <= secret.length; end++) if (text.includes(secret.slice(start, end))) found.push(secret.slice(start, end));
  }
  return found;
}

/** Offsets at which the secret starts before a cut at `cut`: from one character over it to all but one. */
function straddling(cut: number, secret: string): number[] {
  return [1, 3, 5, Math.floor(secret.length / 2), secret.length - 1].map((over) => cut - secret.length + over);
}

const filler = (n: number): string => 'x'.repeat(n);

hostileFamily('secrets', 'a secret straddling a cut leaves nothing of itself', function () {
  this.timeout(60_000);
  const started = new Started();
  afterEach(() => started.stopAll());

  async function chatError(behaviorFor: (message: string) => Parameters<Awaited<ReturnType<typeof startLlamaSwapDouble>>['setBehavior']>[0]): Promise<void> {
    const host = started.add(await startLlamaSwapDouble({ label: 'lab', models: [{ id: 'm' }], apiKeys: [KEY], behaviorScope: 'all' }));
    const registry = registryOf([llamaSwap('lab', host.url, { apiKeyEnv: 'LAB_KEY' })]);
    const identity = identityContext(registry, undefined);
    const snapshots = new Map<string, ProviderSnapshot>();
    // The message is cut at 300 characters; the key crosses that cut at each offset.
    for (const at of straddling(300, KEY)) {
      host.setBehavior(behaviorFor(`${filler(at)}${KEY} and more`));
      const error = await runChat(
        {
          route: (id) => resolveRoute(id, registry, identity, snapshots),
          registry: () => registry,
          credentialFor: async () => KEY,
          http: new FetchStreamingClient(),
          idleTimeoutMs: () => 5000,
        },
        { modelId: 'lab/m', messages: [{ role: 'user', parts: [{ kind: 'text', text: 'hi' }] }], signal: new AbortController().signal },
        { text: () => undefined, toolCall: () => undefined },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ChatFailure, `the chat fails (offset ${at})`);
      assert.match(error.message, /xxxx/, 'the host message is quoted');
      assert.deepEqual(pieces(error.message, KEY), [], `offset ${at}: ${error.message.slice(-80)}`);
    }
  }

  it("a chat's HTTP error (cut at 300): the host's message is quoted without any piece of its key", async () => {
    await chatError((message) => ({ kind: 'raw', status: 400, json: { error: { message } } }));
  });

  it("an error event inside the chat's stream (cut at 300): the same", async () => {
    await chatError((message) => ({ kind: 'raw', status: 200, contentType: 'text/event-stream', text: `data: ${JSON.stringify({ error: { message } })}\n\n` }));
  });

  it('a BooCode server and an opencode server quoting their own secret in an error (cut at 300)', async () => {
    const server = started.add(await startLlamaSwapDouble({ label: 'echo', models: [], behaviorScope: 'all' }));
    for (const at of straddling(300, TOKEN)) {
      server.setBehavior({ kind: 'raw', status: 400, json: { error: `${filler(at)}${TOKEN}` } });
      const booCoder = await new BooCoderApi(new FetchHttpClient()).switchModel({ baseUrl: server.url, token: TOKEN, timeoutMs: 2000 }, 's1', { provider: 'p', model: 'm' });
      const reason = booCoder.kind === 'failed' ? booCoder.reason : '';
      assert.match(reason, /rejected model "p\/m": xxx/);
      assert.deepEqual(pieces(reason, TOKEN), [], `offset ${at}: ${reason.slice(-60)}`);
    }
    for (const at of straddling(300, PASSWORD)) {
      server.setBehavior({ kind: 'raw', status: 400, json: { message: `${filler(at)}${PASSWORD}` } });
      const opencode = await new OpencodeApi(new FetchHttpClient()).switchModel({ baseUrl: server.url, password: PASSWORD, timeoutMs: 2000 }, 'ses_1', { provider: 'p', model: 'm' });
      const reason = opencode.kind === 'failed' ? opencode.reason : '';
      assert.match(reason, /answered HTTP 400 \(xxx/);
      assert.deepEqual(pieces(reason, PASSWORD), [], `offset ${at}: ${reason.slice(-60)}`);
    }
  });

  it("a model name (cut at 200) and every text of the view's snapshot (cut at 200 to 2000)", async () => {
    const host = started.add(await startLlamaSwapDouble({ label: 'lab', models: [], apiKeys: [KEY] }));
    const rig = hostRig(registryOf([llamaSwap('lab', host.url, { apiKeyEnv: 'LAB_KEY' })]), { credentials: () => KEY, secrets: [KEY] });
    const cuts = straddling(200, KEY);
    host.setBehavior({ kind: 'raw', json: { object: 'list', data: cuts.map((at, i) => ({ id: `m${i}`, name: `${filler(at)}${KEY}` })) } });
    await rig.refresh();
    const names = rig.catalog.getSnapshots().get('lab')?.models.map((m) => m.name ?? '') ?? [];
    assert.equal(names.length, cuts.length);
    for (const name of names) assert.deepEqual(pieces(name, KEY), [], name.slice(-40));

    const long = (cut: number): string[] => straddling(cut, KEY).map((at) => `${filler(at)}${KEY}`);
    const snapshot = buildSnapshot({
      hub: rig.hub,
      syncStatus: () => ({ ...rig.favorites.getStatus(), message: long(2000)[1] ?? '' }),
      registryProblems: () => long(2000),
      availableActions: () => [],
      secrets: () => [KEY],
    });
    const shown = JSON.stringify(snapshot);
    assert.match(shown, /xxxx/);
    assert.deepEqual(pieces(shown, KEY), []);
  });
});
