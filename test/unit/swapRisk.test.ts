/**
 * When choosing a model asks first (it may stop a model serving requests), what the question says,
 * and what can be unloaded: pure decisions over the catalog view.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { CatalogEntry, CatalogGroup, CatalogView } from '../../src/core/catalog/catalogView';
import type { ModelState } from '../../src/core/live/events';
import { SwapGuard, type SwapAnswer } from '../../src/core/live/swapGuard';
import { canUnload, canUnloadAll, swapQuestionText, swapRisk, unloadQuestion, type PeerTest } from '../../src/core/live/swapRisk';
import type { ProviderKind } from '../../src/core/registry/registry';

function model(provider: string, id: string, state?: ModelState, name = id): CatalogEntry {
  return { id: `${provider}/${id}`, provider, model: id, name, favorite: false, active: false, ...(state !== undefined ? { state, loaded: state === 'ready' } : {}) };
}

function host(
  provider: string,
  models: readonly CatalogEntry[],
  options: { inFlight?: number; live?: boolean; kind?: ProviderKind; label?: string } = {},
): CatalogGroup {
  return {
    provider,
    label: options.label ?? provider,
    kind: options.kind ?? 'llama-swap',
    state: { status: 'online', live: options.live ?? true, ...(options.inFlight !== undefined ? { inFlight: options.inFlight } : {}) },
    models,
  };
}

function viewOf(...groups: CatalogGroup[]): CatalogView {
  return { favorites: [], recent: [], groups, hiddenFavorites: 0 };
}

const noPeers: PeerTest = () => false;
const peersNamed =
  (...ids: string[]): PeerTest =>
  (entry) =>
    ids.includes(entry.id);

/** sam-desktop serves 2 requests with qwen3-coder-30b; Qwen3-8B is stopped there. */
const busy = () =>
  viewOf(
    host('sam', [model('sam', 'qwen3-coder-30b', 'ready'), model('sam', 'Qwen3-8B', 'stopped')], { inFlight: 2, label: 'sam-desktop' }),
    host('ann', [model('ann', 'Qwen3-8B', 'stopped')], { inFlight: 0 }),
  );

describe('swap risk: when choosing a model asks first', () => {
  it('asks for a stopped model on a live host serving requests with another model, naming both and the count', () => {
    const q = swapRisk(busy(), 'sam/Qwen3-8B', noPeers);
    assert.deepEqual(q, { id: 'sam/Qwen3-8B', provider: 'sam', host: 'sam-desktop', target: 'Qwen3-8B', running: ['qwen3-coder-30b'], inFlight: 2 });
    assert.equal(swapQuestionText(q), 'sam-desktop is serving 2 requests with qwen3-coder-30b; starting Qwen3-8B may stop it.');
  });

  const table: Array<[string, CatalogView, string, PeerTest]> = [
    ['the same model on an idle host', busy(), 'ann/Qwen3-8B', noPeers],
    ['the model that is running', busy(), 'sam/qwen3-coder-30b', noPeers],
    ['a model already starting', viewOf(host('sam', [model('sam', 'a', 'ready'), model('sam', 'b', 'starting')], { inFlight: 1 })), 'sam/b', noPeers],
    ['a model that is stopping', viewOf(host('sam', [model('sam', 'a', 'ready'), model('sam', 'b', 'stopping')], { inFlight: 1 })), 'sam/b', noPeers],
    ['a host with no requests in flight', viewOf(host('sam', [model('sam', 'a', 'ready'), model('sam', 'b', 'stopped')], { inFlight: 0 })), 'sam/b', noPeers],
    ['a host whose in-flight count is unknown', viewOf(host('sam', [model('sam', 'a', 'ready'), model('sam', 'b', 'stopped')])), 'sam/b', noPeers],
    ['a host with requests but nothing running (a request waiting for its own load)', viewOf(host('sam', [model('sam', 'a', 'stopped'), model('sam', 'b', 'stopped')], { inFlight: 3 })), 'sam/b', noPeers],
    ['a host that is polled, not live', viewOf(host('sam', [model('sam', 'a', 'ready'), model('sam', 'b', 'stopped')], { inFlight: 2, live: false })), 'sam/b', noPeers],
    ['a peer model (forwarded to another host: nothing starts here)', viewOf(host('sam', [model('sam', 'a', 'ready'), model('sam', 'box2/llama')], { inFlight: 2 })), 'sam/box2/llama', peersNamed('sam/box2/llama')],
    ['a host whose only running model is a peer', viewOf(host('sam', [model('sam', 'box2/llama', 'ready'), model('sam', 'b', 'stopped')], { inFlight: 2 })), 'sam/b', peersNamed('sam/box2/llama')],
    ['an openai-compatible provider', viewOf(host('vllm', [model('vllm', 'a', 'ready'), model('vllm', 'b', 'stopped')], { inFlight: 2, kind: 'openai-compatible' })), 'vllm/b', noPeers],
    ['DeepSeek', viewOf(host('deepseek', [model('deepseek', 'chat', 'ready'), model('deepseek', 'reasoner', 'stopped')], { inFlight: 2, kind: 'deepseek' })), 'deepseek/reasoner', noPeers],
    ['a model no provider lists', busy(), 'sam/nope', noPeers],
  ];
  for (const [what, view, id, isPeer] of table) {
    it(`does not ask for ${what}`, () => {
      assert.equal(swapRisk(view, id, isPeer), undefined);
    });
  }

  it('asks for a model without state while the host reports others running (its state list did not name it)', () => {
    const view = viewOf(host('sam', [model('sam', 'a', 'ready'), model('sam', 'b')], { inFlight: 1 }));
    assert.equal(swapRisk(view, 'sam/b', noPeers)?.running.join(), 'a');
  });

  it('names every model running (ready or starting), and says "them"', () => {
    const view = viewOf(
      host('sam', [model('sam', 'a', 'ready'), model('sam', 'b', 'starting'), model('sam', 'c', 'stopped'), model('sam', 'd', 'ready'), model('sam', 'e', 'ready')], { inFlight: 1 }),
    );
    const q = swapRisk(view, 'sam/c', noPeers);
    assert.ok(q);
    assert.deepEqual(q.running, ['a', 'b', 'd', 'e']);
    assert.equal(swapQuestionText(q), 'sam is serving 1 request with a, b, d and 1 more; starting c may stop them.');
    assert.equal(swapQuestionText({ ...q, running: ['a', 'b'] }), 'sam is serving 1 request with a and b; starting c may stop them.');
  });

  it('shows names as text: no control or direction characters, long names cut', () => {
    const q = swapRisk(viewOf(host('sam', [model('sam', 'a', 'ready', 'evil\u202e\nname'), model('sam', 'b', 'stopped', 'x'.repeat(500))], { inFlight: 1 })), 'sam/b', noPeers);
    assert.ok(q);
    const text = swapQuestionText(q);
    assert.doesNotMatch(text, /[\u202e\n]/u);
    assert.ok(text.length < 250, text);
  });

  it('asks exactly when the rule says so, for any host (property)', () => {
    const state = fc.option(fc.constantFrom<ModelState>('stopped', 'starting', 'ready', 'stopping'), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(fc.record({ state, peer: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 5 }),
        fc.constantFrom<ProviderKind>('llama-swap', 'openai-compatible', 'deepseek'),
        fc.boolean(),
        fc.nat({ max: 5 }),
        (specs, inFlight, kind, live, pick) => {
          const models = specs.map((s, i) => model('h', `m${i}`, s.state));
          const peers = new Set(models.filter((_, i) => specs[i]?.peer === true).map((m) => m.id));
          const isPeer: PeerTest = (e) => peers.has(e.id);
          const target = models[pick % models.length];
          assert.ok(target);
          const othersRunning = models.some((m) => m.id !== target.id && !peers.has(m.id) && (m.state === 'ready' || m.state === 'starting'));
          const expected =
            kind === 'llama-swap' && live && inFlight > 0 && !peers.has(target.id) && othersRunning && (target.state === undefined || target.state === 'stopped');
          const q = swapRisk(viewOf(host('h', models, { inFlight, kind, live })), target.id, isPeer);
          assert.equal(q !== undefined, expected);
          if (q) assert.ok(q.running.length > 0 && !q.running.includes(target.name) && q.inFlight === inFlight);
        },
      ),
    );
  });
});

describe('unload: what can be unloaded, and when it asks first', () => {
  it('offers a ready local model of a llama-swap host, not a starting, stopped or peer one, nor other kinds', () => {
    const group = host('sam', [model('sam', 'a', 'ready'), model('sam', 'b', 'starting'), model('sam', 'c', 'stopped'), model('sam', 'p', 'ready')]);
    const isPeer = peersNamed('sam/p');
    assert.deepEqual(group.models.filter((m) => canUnload(group, m, isPeer)).map((m) => m.id), ['sam/a']);
    const vllm = host('vllm', [model('vllm', 'a', 'ready')], { kind: 'openai-compatible' });
    assert.equal(canUnload(vllm, vllm.models[0] as CatalogEntry, noPeers), false);
  });

  it('offers Unload All on a llama-swap host running or starting something, not on an idle host or another kind', () => {
    assert.equal(canUnloadAll(host('sam', [model('sam', 'a', 'starting')]), noPeers), true);
    assert.equal(canUnloadAll(host('sam', [model('sam', 'a', 'stopped'), model('sam', 'b')]), noPeers), false);
    assert.equal(canUnloadAll(host('sam', [model('sam', 'p', 'ready')]), peersNamed('sam/p')), false);
    assert.equal(canUnloadAll(host('vllm', [model('vllm', 'a', 'ready')], { kind: 'openai-compatible' }), noPeers), false);
  });

  it('confirms an unload only while the host serves requests, naming the model or the host', () => {
    const view = busy();
    assert.equal(unloadQuestion(view, { id: 'sam/qwen3-coder-30b' }), 'sam-desktop is serving 2 requests. Unload qwen3-coder-30b anyway?');
    assert.equal(unloadQuestion(view, { provider: 'sam' }), 'sam-desktop is serving 2 requests. Unload every model on sam-desktop anyway?');
    assert.equal(unloadQuestion(view, { id: 'ann/Qwen3-8B' }), undefined);
    assert.equal(unloadQuestion(view, { provider: 'ann' }), undefined);
  });
});

describe('the swap guard every choosing path goes through', () => {
  function guard(view: CatalogView, answer: SwapAnswer, enabled = true) {
    const asked: string[] = [];
    let turnedOff = 0;
    const g = new SwapGuard({
      view: () => view,
      canonical: (id) => (id.includes('/') ? id : `sam/${id}`),
      isPeer: noPeers,
      enabled: () => enabled,
      ask: (_q, text) => {
        asked.push(text);
        return Promise.resolve(answer);
      },
      stopAsking: () => {
        turnedOff += 1;
        return Promise.resolve();
      },
    });
    return { g, asked, turnedOff: () => turnedOff };
  }

  it('asks once with the question and goes ahead on "Switch Anyway"', async () => {
    const { g, asked, turnedOff } = guard(busy(), 'switch');
    assert.equal(await g.confirm('sam/Qwen3-8B'), true);
    assert.deepEqual(asked, ['sam-desktop is serving 2 requests with qwen3-coder-30b; starting Qwen3-8B may stop it.']);
    assert.equal(turnedOff(), 0);
  });

  it('stops the choice when the user cancels', async () => {
    const { g, asked } = guard(busy(), undefined);
    assert.equal(await g.confirm('sam/Qwen3-8B'), false);
    assert.equal(asked.length, 1);
  });

  it('"Switch and Don\'t Ask Again" goes ahead and turns the setting off', async () => {
    const { g, turnedOff } = guard(busy(), 'stopAsking');
    assert.equal(await g.confirm('sam/Qwen3-8B'), true);
    assert.equal(turnedOff(), 1);
  });

  it('asks nothing with the setting off, nor when nothing is at risk; reads a legacy bare id through the rules', async () => {
    const off = guard(busy(), undefined, false);
    assert.equal(await off.g.confirm('sam/Qwen3-8B'), true);
    assert.deepEqual(off.asked, []);
    const on = guard(busy(), undefined);
    assert.equal(await on.g.confirm('ann/Qwen3-8B'), true);
    assert.deepEqual(on.asked, []);
    assert.equal(on.g.question('Qwen3-8B')?.id, 'sam/Qwen3-8B');
  });
});
