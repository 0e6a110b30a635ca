import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isFavorite } from '../../src/core/favorites';
import { FavoritesSync } from '../../src/core/favoritesSync';
import type { IdentityContext } from '../../src/core/modelIdentity';
import type { HttpRequest } from '../../src/core/ports';
import { FAVORITES_KEY, SettingsApi } from '../../src/core/settingsApi';
import { createBooCodeServerCore, type BooCodeServerCore, type CoreOutcome } from '../doubles/booCodeServerCore';
import { InProcessHttpClient } from '../doubles/inProcessHttp';
import { identityOf, llamaSwap, registryOf } from '../builders';
import { MemoryStore } from '../fakes/memoryStore';

/**
 * Model-based test of favorites sync (fast-check commands): N clients, one BooCode server (the
 * double's own request->answer core, in process), random toggles of the SAME ids, faults that
 * apply a write and lose its answer, reloads, leaving and re-entering the server, registry
 * changes, data loss. The model is the intended final set: each client's intents, delivered
 * once, in the order the server received them. Checked after every history: 0 lost (an intent
 * the server does not hold) and 0 resurrected (a value the server holds that nobody intended).
 */

const URL_ = 'http://127.0.0.1:9';
const IDS = ['sam-desktop/qwen3', 'sam-desktop/b', 'embedding/a', 'embedding/c'] as const;
/** `qwen3` is the legacy bare form of `sam-desktop/qwen3`. */
const INITIAL = ['qwen3', 'embedding/a'];
const WITH_EMBEDDING = identityOf(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1', { default: true }), llamaSwap('embedding', 'http://127.0.0.1:2')]));
// Without `embedding`, `embedding/a` is a legacy id of the default host: every form of it moves together.
const WITHOUT_EMBEDDING = identityOf(registryOf([llamaSwap('sam-desktop', 'http://127.0.0.1:1', { default: true })]));
const ANSWER_500: CoreOutcome = { status: 500, headers: {}, contentType: 'application/json; charset=utf-8', text: '{"error":"internal server error"}' };

type Fault = 'none' | 'conflict412' | 'error500' | 'timeout' | 'appliedThen500' | 'appliedThenTimeout';

interface ClientModel {
  /** Intents not yet on the server, last per id. */
  pending: Map<string, boolean>;
  /** A write landed whose answer the client never got. */
  inDoubt: boolean;
  up: boolean;
  local: boolean;
  /** In local mode: what the client showed when it left the server, and what the user did since. */
  shownAtLeave: Set<string>;
  localIntents: Map<string, boolean>;
}

interface Model {
  server: Map<string, boolean>;
  clients: ClientModel[];
}

interface RealClient {
  sync: FavoritesSync;
  store: MemoryStore;
  http: InProcessHttpClient;
  url: string | undefined;
  fault: { kind: Fault; used: boolean } | undefined;
}

interface Real {
  core: BooCodeServerCore;
  clients: RealClient[];
  ctx: IdentityContext;
}

function newSync(real: Real, c: RealClient): FavoritesSync {
  return new FavoritesSync({
    api: new SettingsApi(c.http),
    store: c.store,
    identity: () => real.ctx,
    serverUrl: () => c.url,
    endpoint: async () => (c.url === undefined ? undefined : { baseUrl: c.url, token: undefined, timeoutMs: 50 }),
    sleep: async () => undefined,
    log: () => undefined,
  });
}

function newClient(real: Real, model: ClientModel): RealClient {
  const c: RealClient = { sync: undefined as unknown as FavoritesSync, store: new MemoryStore(), http: new InProcessHttpClient(real.core), url: URL_, fault: undefined };
  c.http.intercept = (request: HttpRequest, respond: () => CoreOutcome): CoreOutcome | 'timeout' => {
    if (!model.up) return 'refused';
    const plan = c.fault;
    if (plan === undefined || plan.used || plan.kind === 'none') return respond();
    if (plan.kind === 'error500' || plan.kind === 'timeout') {
      plan.used = true; // the first request of the sync never reaches the server
      return plan.kind === 'error500' ? ANSWER_500 : 'timeout';
    }
    if (request.method !== 'PUT') return respond();
    plan.used = true;
    if (plan.kind === 'conflict412') {
      real.core.setFault('conflict');
      try {
        return respond();
      } finally {
        real.core.setFault('none');
      }
    }
    respond(); // applied on the server; its answer is lost on the way
    return plan.kind === 'appliedThen500' ? ANSWER_500 : 'timeout';
  };
  c.sync = newSync(real, c);
  return c;
}

function deliver(model: Model, c: ClientModel): void {
  for (const [id, on] of c.pending) model.server.set(id, on);
  c.pending.clear();
  c.inDoubt = false;
}

/** The client's sync under `fault`, as the intended behaviour sees it. */
function expectSync(model: Model, c: ClientModel, fault: Fault): void {
  if (c.local || !c.up) return;
  if (fault === 'none' || fault === 'conflict412') return deliver(model, c);
  if (fault === 'error500' || fault === 'timeout') return;
  // The answer to the first PUT is lost. In doubt already: that PUT is the resend (no effect).
  if (c.inDoubt) return;
  const changes = [...c.pending].some(([id, on]) => (model.server.get(id) ?? false) !== on);
  for (const [id, on] of c.pending) model.server.set(id, on);
  c.pending.clear();
  c.inDoubt = changes;
}

async function syncWith(c: RealClient, fault: Fault): Promise<void> {
  c.fault = { kind: fault, used: false };
  try {
    await c.sync.sync();
  } finally {
    c.fault = undefined;
  }
}

type Cmd = fc.AsyncCommand<Model, Real>;

class Toggle implements Cmd {
  constructor(readonly c: number, readonly id: string) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const m = model.clients[this.c] as ClientModel;
    const r = real.clients[this.c] as RealClient;
    const on = await r.sync.toggle(this.id);
    await r.sync.sync(); // the toggle's own sync, finished before the next step
    if (m.local) {
      m.localIntents.set(this.id, on);
      return;
    }
    m.pending.delete(this.id);
    m.pending.set(this.id, on);
    expectSync(model, m, 'none');
  }
  toString = (): string => `toggle(${this.c}, ${this.id})`;
}

class Sync implements Cmd {
  constructor(readonly c: number, readonly fault: Fault) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await syncWith(real.clients[this.c] as RealClient, this.fault);
    expectSync(model, model.clients[this.c] as ClientModel, this.fault);
  }
  toString = (): string => `sync(${this.c}, ${this.fault})`;
}

class Network implements Cmd {
  constructor(readonly c: number, readonly up: boolean) {}
  check = (): boolean => true;
  async run(model: Model): Promise<void> {
    (model.clients[this.c] as ClientModel).up = this.up;
  }
  toString = (): string => `network(${this.c}, ${this.up ? 'up' : 'down'})`;
}

class Reload implements Cmd {
  constructor(readonly c: number) {}
  check = (): boolean => true;
  async run(_model: Model, real: Real): Promise<void> {
    const r = real.clients[this.c] as RealClient;
    r.sync = newSync(real, r);
  }
  toString = (): string => `reload(${this.c})`;
}

class ServerUrl implements Cmd {
  constructor(readonly c: number, readonly set: boolean) {}
  check = (model: Readonly<Model>): boolean => (model.clients[this.c] as ClientModel).local === this.set;
  async run(model: Model, real: Real): Promise<void> {
    const m = model.clients[this.c] as ClientModel;
    const r = real.clients[this.c] as RealClient;
    r.url = this.set ? URL_ : undefined;
    await r.sync.sync();
    if (!this.set) {
      m.local = true;
      m.shownAtLeave = new Set(IDS.filter((id) => isFavorite(r.sync.list(), id, real.ctx)));
      m.localIntents.clear();
      return;
    }
    // What changed locally is queued for the server, on top of what was already queued.
    m.local = false;
    for (const [id, on] of m.localIntents) {
      if (m.shownAtLeave.has(id) === on) continue;
      m.pending.delete(id);
      m.pending.set(id, on);
    }
    expectSync(model, m, 'none');
  }
  toString = (): string => `serverUrl(${this.c}, ${this.set ? 'set' : 'unset'})`;
}

class Registry implements Cmd {
  constructor(readonly withEmbedding: boolean) {}
  check = (): boolean => true;
  async run(_model: Model, real: Real): Promise<void> {
    real.ctx = this.withEmbedding ? WITH_EMBEDDING : WITHOUT_EMBEDDING;
  }
  toString = (): string => `registry(${this.withEmbedding ? 'with' : 'without'} embedding)`;
}

/** The server loses its data while every client knows its current value; the next sync restores it. */
class LoseData implements Cmd {
  check = (model: Readonly<Model>): boolean => model.clients.every((c) => c.up && !c.local && c.pending.size === 0 && !c.inDoubt);
  async run(_model: Model, real: Real): Promise<void> {
    for (const c of real.clients) await c.sync.sync();
    real.core.setFault('loseData');
  }
  toString = (): string => 'loseData()';
}

const CLIENTS = 3;
let runs = 0;
let lost = 0;
let resurrected = 0;

async function finish(model: Model, real: Real): Promise<void> {
  for (const [i, r] of real.clients.entries()) {
    const m = model.clients[i] as ClientModel;
    if (!m.up) await new Network(i, true).run(model);
    if (m.local) await new ServerUrl(i, true).run(model, real);
    for (let n = 0; n < 10 && (r.sync.getStatus().state !== 'synced' || r.sync.getStatus().pending > 0); n++) await r.sync.sync();
    assert.deepEqual([r.sync.getStatus().state, r.sync.getStatus().pending], ['synced', 0], `client ${i}: ${JSON.stringify(r.sync.getStatus())}`);
    deliver(model, m);
  }
  for (const r of real.clients) await r.sync.sync(); // the last pull
  const stored = (real.core.peek(FAVORITES_KEY) as string[] | undefined) ?? [];
  runs += 1;
  const mismatches: string[] = [];
  for (const id of IDS) {
    const intended = model.server.get(id) ?? false;
    const held = isFavorite(stored, id, real.ctx);
    if (intended && !held) lost += 1;
    if (!intended && held) resurrected += 1;
    if (intended !== held) mismatches.push(`${id}: intended ${intended ? 'starred' : 'not starred'}, server ${held ? 'starred' : 'not starred'}`);
  }
  assert.deepEqual(mismatches, [], `server holds ${JSON.stringify(stored)}`);
  for (const [i, r] of real.clients.entries()) {
    assert.deepEqual(IDS.filter((id) => isFavorite(r.sync.list(), id, real.ctx)), IDS.filter((id) => isFavorite(stored, id, real.ctx)), `client ${i} shows what the server holds`);
  }
}

describe('favorites model: N clients, one server, faults, reloads, mode and registry changes', () => {
  after(() => console.log(`      favorites model: ${runs} runs, ${lost} lost, ${resurrected} resurrected`));

  it('every history ends with the intended set: nothing lost, nothing resurrected', async function () {
    this.timeout(120_000);
    const client = fc.integer({ min: 0, max: CLIENTS - 1 });
    const fault = fc.constantFrom<Fault>('none', 'conflict412', 'error500', 'timeout', 'appliedThen500', 'appliedThenTimeout');
    const commands = fc.commands(
      [
        fc.tuple(client, fc.constantFrom(...IDS)).map(([c, id]) => new Toggle(c, id)),
        fc.tuple(client, fc.constantFrom(...IDS)).map(([c, id]) => new Toggle(c, id)),
        fc.tuple(client, fault).map(([c, f]) => new Sync(c, f)),
        fc.tuple(client, fault).map(([c, f]) => new Sync(c, f)),
        fc.tuple(client, fc.boolean()).map(([c, up]) => new Network(c, up)),
        client.map((c) => new Reload(c)),
        fc.tuple(client, fc.boolean()).map(([c, set]) => new ServerUrl(c, set)),
        fc.boolean().map((withEmbedding) => new Registry(withEmbedding)),
        fc.constant(new LoseData()),
      ],
      { maxCommands: 30 },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const core = createBooCodeServerCore();
        core.poke(FAVORITES_KEY, INITIAL);
        const model: Model = {
          server: new Map(IDS.map((id) => [id, id === 'sam-desktop/qwen3' || id === 'embedding/a'])),
          clients: Array.from({ length: CLIENTS }, () => ({ pending: new Map(), inDoubt: false, up: true, local: false, shownAtLeave: new Set(), localIntents: new Map() })),
        };
        const real: Real = { core, clients: [], ctx: WITH_EMBEDDING };
        real.clients = model.clients.map((m) => newClient(real, m));
        for (const c of real.clients) await c.sync.sync();
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        await finish(model, real);
      }),
      { numRuns: Number(process.env['BOOCODE_MODEL_RUNS'] ?? 2000) },
    );
  });
});
