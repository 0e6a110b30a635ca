/**
 * A llama-swap host as the double serves it: `/v1/models` (and `/models`)
 * with the current or the legacy record shape, `/running`, `/health`, OpenAI-compatible chat, and
 * the two routes that LOAD models on a real host (`/upstream/{model}/...`, `/props?model=`), which
 * this double logs so tests can prove a picker never called them.
 */
import type * as http from 'node:http';
import { compareBytes, headerValue, sendJson, sendText, sleepTracked, startDoubleServer, type DoubleRequest, type DoubleServer, exposeServer } from './doubleServer';
import { applyHostBehavior, type HostBehavior } from './hostBehavior';
import { createEventsHub, type EventsHub, type LlamaSwapEventsFault } from './llamaSwapEvents';
import { answerChat, parseChatRequest } from './openAiChat';

export type LlamaSwapModelType = 'model' | 'alias' | 'peer' | 'selector' | 'profile';
export type LlamaSwapModelStatus = 'loaded' | 'unloaded';
/** A local process's state as `/running` and `/api/events` report it. */
export type LlamaSwapProcessState = 'stopped' | 'starting' | 'ready' | 'stopping';
/** `echo`: 500 quoting the key the request carried (a proxy that echoes what it got). */
export type LlamaSwapUnloadFault = 'none' | 'hang' | '404' | '500' | 'echo';

export interface LlamaSwapModelSpec {
  /** The model id; for a peer model, the id on the peer (listed as `<peerID>/<id>`). */
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  /** Emitted as both `context_length` and `meta.n_ctx` (current shape only). */
  readonly contextLength?: number;
  /** Initial status (default `unloaded`). */
  readonly status?: LlamaSwapModelStatus;
  /** `meta.llamaswap.type`; default `peer` when `peerID` is set, else `model`. */
  readonly type?: LlamaSwapModelType;
  /** Makes this a peer model listed as `<peerID>/<id>`. */
  readonly peerID?: string;
  /** Other names a chat request may use for this model (`meta.llamaswap.aliases`). */
  readonly aliases?: readonly string[];
  readonly capabilities?: { readonly vision?: boolean; readonly function_calling?: boolean };
  /** Absent from the list, still answers chat. */
  readonly unlisted?: boolean;
}

export type LlamaSwapErrorStyle = 'current' | 'v250';

export interface LlamaSwapDoubleOptions {
  readonly models: readonly LlamaSwapModelSpec[];
  /** Used in chat replies: `reply from <label> model <model>` (default `llama-swap`). */
  readonly label?: string;
  readonly port?: number;
  /** An older host: records without `status`, `context_length`, `meta` (and capabilities). */
  readonly legacy?: boolean;
  /** When set, every route but `/health` needs one of these keys. */
  readonly apiKeys?: readonly string[];
  /** Body of the unknown-model 404 (default `current`). */
  readonly errorStyle?: LlamaSwapErrorStyle;
  /** Delay before answering `/v1/models` and `/models`. */
  readonly latencyMs?: number;
  readonly behavior?: HostBehavior;
  /** Routes the behaviour applies to: the model list only (default) or every route but `/health`. */
  readonly behaviorScope?: 'models' | 'all';
  readonly endlessLimitBytes?: number;
  readonly trickleIntervalMs?: number;
  /** How long a stopped model takes to start when a chat asks for it (default 0: at once). */
  readonly startMs?: number;
  /** How long a model takes to stop (default 0). */
  readonly stopMs?: number;
  /** One model at a time (a `swap: true` group): starting one stops those running first. */
  readonly swap?: boolean;
  /** An older llama-swap: no `/api/events`, `/api/models/unload` or `/api/metrics/stats` (404). */
  readonly oldHost?: boolean;
  readonly eventsFault?: LlamaSwapEventsFault;
  readonly unloadFault?: LlamaSwapUnloadFault;
  /** Generation tokens/s p50 per listed id, as `/api/metrics/stats` reports it (absent: no requests recorded). */
  readonly speeds?: Readonly<Record<string, number>>;
}

export type LlamaSwapLoadVia = 'chat' | 'upstream' | 'props';

/** A request that made (or kept) a model loaded. */
export interface LlamaSwapLoadEvent {
  /** The listed id of the model (peer models as `<peerID>/<id>`). */
  readonly model: string;
  readonly via: LlamaSwapLoadVia;
  /** False when this request swapped the model in. */
  readonly wasLoaded: boolean;
  readonly time: number;
}

export interface LlamaSwapDouble extends DoubleServer {
  readonly label: string;
  readonly behavior: HostBehavior;
  setBehavior(behavior: HostBehavior): void;
  /** Replaces the model list; statuses are reset from the specs. */
  setModels(models: readonly LlamaSwapModelSpec[]): void;
  setLatency(ms: number): void;
  /** Every request that loaded or used a model, oldest first. */
  readonly loads: readonly LlamaSwapLoadEvent[];
  /** Loads made by `/upstream/...` or `/props` (a metadata reader must leave this empty). */
  readonly loadingCalls: readonly LlamaSwapLoadEvent[];
  clearLoads(): void;
  statusOf(listedId: string): LlamaSwapModelStatus | undefined;
  setStatus(listedId: string, status: LlamaSwapModelStatus): void;
  /** The ids `/v1/models` lists now, in its order. */
  listedIds(): string[];
  /** A local model's process state (peers have none). */
  stateOf(listedId: string): LlamaSwapProcessState | undefined;
  /** Moves a local model to a state at once and announces it, as a process state change does. */
  setState(listedId: string, state: LlamaSwapProcessState): void;
  /** The `/api/events` side: clients, dropped messages, bytes, faults, floods. */
  readonly events: EventsHub;
  setEventsFault(fault: LlamaSwapEventsFault): void;
  setUnloadFault(fault: LlamaSwapUnloadFault): void;
  setSpeed(listedId: string, p50: number | undefined): void;
  /** Another client's request in flight on this host (with its headers and address, as the real host reports them). */
  startInflight(model: string, headers?: Readonly<Record<string, string>>): string;
  endInflight(id: string): void;
  /** Models stopped through `/api/models/unload` (`*` for all), oldest first. */
  readonly unloads: readonly string[];
}

/** The current (post-v250) unknown-model body. */
export const LLAMA_SWAP_NOT_FOUND_BODY = {
  src: 'llama-swap',
  error: {
    message: 'no router for requested model',
    type: 'invalid_request_error',
    param: null,
    code: 'not_found',
  },
} as const;

/** The v250-and-older unknown-model body. */
export const LLAMA_SWAP_NOT_FOUND_BODY_V250 = { src: 'llama-swap', error: 'no router for requested model' } as const;

export const LLAMA_SWAP_UNAUTHORIZED_MESSAGE = 'unauthorized: invalid or missing API key';

interface ModelEntry {
  readonly spec: LlamaSwapModelSpec;
  readonly listedId: string;
  readonly peerModelId: string;
  readonly type: LlamaSwapModelType;
}

function toEntry(spec: LlamaSwapModelSpec): ModelEntry {
  const peerID = spec.peerID;
  if (peerID !== undefined && peerID !== '') {
    const prefix = `${peerID}/`;
    const listedId = spec.id.startsWith(prefix) ? spec.id : prefix + spec.id;
    return { spec, listedId, peerModelId: listedId.slice(prefix.length), type: spec.type ?? 'peer' };
  }
  return { spec, listedId: spec.id, peerModelId: spec.id, type: spec.type ?? 'model' };
}

/** Starts a llama-swap double on 127.0.0.1. */
export async function startLlamaSwapDouble(options: LlamaSwapDoubleOptions): Promise<LlamaSwapDouble> {
  const label = options.label ?? 'llama-swap';
  const legacy = options.legacy === true;
  const apiKeys = options.apiKeys ?? [];
  const errorStyle: LlamaSwapErrorStyle = options.errorStyle ?? 'current';
  const behaviorScope = options.behaviorScope ?? 'models';
  const tuning = {
    ...(options.endlessLimitBytes !== undefined ? { endlessLimitBytes: options.endlessLimitBytes } : {}),
    ...(options.trickleIntervalMs !== undefined ? { trickleIntervalMs: options.trickleIntervalMs } : {}),
  };
  let behavior: HostBehavior = options.behavior ?? 'normal';
  let latencyMs = options.latencyMs ?? 0;
  let entries: ModelEntry[] = [];
  const statuses = new Map<string, LlamaSwapModelStatus>();
  let loads: LlamaSwapLoadEvent[] = [];
  const states = new Map<string, LlamaSwapProcessState>();
  const starting = new Map<string, Promise<boolean>>();
  const speeds = new Map<string, number>(Object.entries(options.speeds ?? {}));
  const startMs = options.startMs ?? 0;
  const stopMs = options.stopMs ?? 0;
  const oldHost = options.oldHost === true;
  let unloadFault: LlamaSwapUnloadFault = options.unloadFault ?? 'none';
  const inflight = new Map<string, Record<string, unknown>>();
  let inflightSeq = 0;
  const unloads: string[] = [];
  // Assigned once the server exists (the hub tracks its timers through it); used by handlers that run later.
  // eslint-disable-next-line prefer-const -- the hub needs the server, and the handlers the hub
  let events: EventsHub | undefined;

  const setModels = (models: readonly LlamaSwapModelSpec[]): void => {
    entries = models.map(toEntry);
    statuses.clear();
    states.clear();
    for (const entry of entries) {
      statuses.set(entry.listedId, entry.spec.status ?? 'unloaded');
      if (entry.type !== 'peer') states.set(entry.listedId, entry.spec.status === 'loaded' ? 'ready' : 'stopped');
    }
    events?.broadcast('modelStatus', modelStatusList());
  };
  setModels(options.models);

  const resolve = (requested: string): ModelEntry | undefined =>
    entries.find((entry) => entry.listedId === requested) ??
    entries.find((entry) => (entry.spec.aliases ?? []).includes(requested));

  /** `s.modelStatus()`: every local model sorted by id, then one entry per peer model (no state). */
  const modelStatusList = (): Record<string, unknown>[] => {
    const local = entries
      .filter((entry) => entry.type !== 'peer')
      .sort((a, b) => compareBytes(a.listedId, b.listedId))
      .map((entry) => {
        const record: Record<string, unknown> = {
          id: entry.listedId,
          name: entry.spec.name ?? '',
          description: entry.spec.description ?? '',
          state: states.get(entry.listedId) ?? 'stopped',
          unlisted: entry.spec.unlisted === true,
          peerID: '',
        };
        if (entry.spec.aliases && entry.spec.aliases.length > 0) record['aliases'] = [...entry.spec.aliases];
        if (entry.spec.contextLength !== undefined) record['context_length'] = entry.spec.contextLength;
        return record;
      });
    const peers = entries
      .filter((entry) => entry.type === 'peer')
      .map((entry) => ({ id: entry.listedId, name: entry.spec.name ?? '', description: '', state: '', unlisted: false, peerID: entry.spec.peerID ?? '' }));
    return [...local, ...peers];
  };

  const setState = (listedId: string, state: LlamaSwapProcessState): void => {
    if (!states.has(listedId) || states.get(listedId) === state) return;
    states.set(listedId, state);
    statuses.set(listedId, state === 'stopped' ? 'unloaded' : 'loaded');
    events?.log('proxy', `[INFO] <${listedId}> process state changed to ${state}`);
    events?.broadcast('modelStatus', modelStatusList());
  };

  const stopProcess = async (listedId: string): Promise<boolean> => {
    const state = states.get(listedId);
    if (state === undefined || state === 'stopped') return true;
    setState(listedId, 'stopping');
    if (stopMs > 0 && !(await sleepTracked(core, stopMs))) return false;
    setState(listedId, 'stopped');
    return true;
  };

  /** Starts a stopped model (stopping the others first on a swap host); resolves once it is ready. */
  const ensureRunning = (entry: ModelEntry): Promise<boolean> => {
    const id = entry.listedId;
    const state = states.get(id);
    if (state === undefined || state === 'ready') return Promise.resolve(true);
    const pending = starting.get(id);
    if (pending) return pending;
    const run = (async () => {
      if (options.swap === true) {
        const others = [...states].filter(([other, s]) => other !== id && s !== 'stopped').map(([other]) => other);
        const stopped = await Promise.all(others.map((other) => stopProcess(other)));
        if (stopped.includes(false)) return false;
      }
      setState(id, 'starting');
      if (startMs > 0 && !(await sleepTracked(core, startMs))) return false;
      setState(id, 'ready');
      return true;
    })().finally(() => starting.delete(id));
    starting.set(id, run);
    return run;
  };

  const markLoaded = (entry: ModelEntry, via: LlamaSwapLoadVia): void => {
    const wasLoaded = statuses.get(entry.listedId) === 'loaded';
    statuses.set(entry.listedId, 'loaded');
    if (entry.type !== 'peer' && startMs === 0 && options.swap !== true) setState(entry.listedId, 'ready');
    loads.push({ model: entry.listedId, via, wasLoaded, time: Date.now() });
  };

  const inflightSnapshot = (): Record<string, unknown> => ({ operation: 'snapshot', requests: [...inflight.values()] });

  const startInflight = (model: string, headers: Readonly<Record<string, string>> = {}): string => {
    inflightSeq += 1;
    const id = `req-${inflightSeq}`;
    const request = {
      id,
      timestamp: new Date().toISOString(),
      model,
      req_path: '/v1/chat/completions',
      method: 'POST',
      req_headers: { 'Content-Type': 'application/json', ...headers, ...('Authorization' in headers ? { Authorization: '[REDACTED]' } : {}) },
      remote_ip: '192.168.7.41',
      resp_headers: {},
      resp_bytes: 0,
      elapsed_ms: 0,
    };
    inflight.set(id, request);
    events?.broadcast('inflight', { operation: 'upsert', request });
    return id;
  };

  const endInflight = (id: string): void => {
    if (!inflight.delete(id)) return;
    events?.broadcast('inflight', { operation: 'remove', id });
  };

  const notFound = (res: http.ServerResponse): void => {
    sendJson(res, 404, errorStyle === 'current' ? LLAMA_SWAP_NOT_FOUND_BODY : LLAMA_SWAP_NOT_FOUND_BODY_V250);
  };

  const badRequest = (res: http.ServerResponse, message: string): void => {
    sendJson(
      res,
      400,
      errorStyle === 'current'
        ? { src: 'llama-swap', error: { message, type: 'invalid_request_error', param: null, code: 'bad_request' } }
        : { src: 'llama-swap', error: message },
    );
  };

  const listRecords = (): Record<string, unknown>[] => {
    const created = Math.floor(Date.now() / 1000);
    return entries
      .filter((entry) => entry.spec.unlisted !== true)
      .map((entry) => modelRecord(entry, created, statuses.get(entry.listedId) ?? 'unloaded', legacy))
      .sort((a, b) => compareBytes(String(a['id']), String(b['id'])));
  };

  const authorized = (req: http.IncomingMessage): boolean => {
    if (apiKeys.length === 0) {
      return true;
    }
    return apiKeys.includes(providedKey(req.headers));
  };

  const handle = async ({ req, res, url, body }: DoubleRequest): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/health' && method === 'GET') {
      sendText(res, 200, 'OK');
      return;
    }
    if (!authorized(req)) {
      const headers = { 'WWW-Authenticate': 'Basic realm="llama-swap"' };
      if ((headerValue(req.headers, 'accept') ?? '').includes('application/json')) {
        sendJson(res, 401, { error: LLAMA_SWAP_UNAUTHORIZED_MESSAGE }, headers);
      } else {
        sendText(res, 401, LLAMA_SWAP_UNAUTHORIZED_MESSAGE, 'text/plain; charset=utf-8', headers);
      }
      return;
    }
    const isModelList = method === 'GET' && (path === '/v1/models' || path === '/models');
    if (isModelList && latencyMs > 0) {
      const waited = await sleepTracked(core, latencyMs);
      if (!waited) {
        return;
      }
    }
    if ((isModelList || behaviorScope === 'all') && applyHostBehavior(core, res, behavior, tuning)) {
      return;
    }
    if (isModelList) {
      sendJson(res, 200, { object: 'list', data: listRecords() });
      return;
    }
    if (!oldHost && method === 'GET' && path === '/api/events') {
      events?.serve(res, () => [
        ['modelStatus', modelStatusList()],
        ['uiConfig', {}],
        ['profileChanged', { active: null }],
        ['inflight', inflightSnapshot()],
      ]);
      return;
    }
    if (!oldHost && method === 'GET' && path === '/api/metrics/stats') {
      const requested = url.searchParams.get('model') ?? '';
      const p50 = speeds.get(requested);
      const histogram = (value: number): Record<string, unknown> => ({ bins: [1], min: value, max: value, binSize: 1, p50: value, p95: value, p99: value });
      sendJson(res, 200, {
        total_requests: p50 === undefined ? 0 : 12,
        total_input_tokens: p50 === undefined ? 0 : 4800,
        total_output_tokens: p50 === undefined ? 0 : 2400,
        total_cache_tokens: 0,
        prompt_histogram: p50 === undefined ? null : histogram(p50 * 8),
        gen_histogram: p50 === undefined ? null : histogram(p50),
      });
      return;
    }
    if (!oldHost && method === 'POST' && (path === '/api/models/unload' || path.startsWith('/api/models/unload/'))) {
      if (unloadFault === 'hang') {
        await sleepTracked(core, 24 * 60 * 60 * 1000);
        return;
      }
      if (unloadFault === '500') {
        sendJson(res, 500, { error: { message: 'failed to stop process: signal: killed', type: 'server_error' } });
        return;
      }
      if (unloadFault === 'echo') {
        sendText(res, 500, `rejected request with key ${providedKey(req.headers)}`);
        return;
      }
      if (unloadFault === '404') {
        sendText(res, 404, '404 page not found');
        return;
      }
      if (path === '/api/models/unload') {
        await Promise.all([...states.keys()].map((id) => stopProcess(id)));
        unloads.push('*');
        sendJson(res, 200, { msg: 'ok' });
        return;
      }
      const requested = decodePart(path.slice('/api/models/unload/'.length));
      const entry = resolve(requested);
      if (!entry) {
        sendJson(res, 404, { error: { message: 'model not found', type: 'invalid_request_error', param: null, code: 'not_found' } });
        return;
      }
      if (entry.type === 'peer') {
        sendJson(res, 404, { error: { message: 'no local server found for requested model', type: 'invalid_request_error', param: null, code: 'not_found' } });
        return;
      }
      if (!(await stopProcess(entry.listedId))) return;
      unloads.push(entry.listedId);
      sendText(res, 200, 'OK');
      return;
    }
    if (method === 'GET' && path === '/running') {
      const running = entries
        .filter((entry) => entry.type !== 'peer' && (states.get(entry.listedId) ?? 'stopped') !== 'stopped')
        .sort((a, b) => compareBytes(a.listedId, b.listedId))
        .map((entry, index) => ({
          model: entry.listedId,
          state: states.get(entry.listedId) ?? 'ready',
          cmd: `llama-server --port ${5800 + index} -m /models/${entry.listedId}.gguf`,
          proxy: `http://localhost:${5800 + index}`,
          ttl: 0,
          name: entry.spec.name ?? '',
          description: entry.spec.description ?? '',
        }));
      sendJson(res, 200, { running });
      return;
    }
    if (method === 'GET' && path === '/unload') {
      for (const key of statuses.keys()) {
        statuses.set(key, 'unloaded');
      }
      for (const key of states.keys()) setState(key, 'stopped');
      sendText(res, 200, 'OK');
      return;
    }
    if (method === 'POST' && path === '/v1/chat/completions') {
      const parsed = parseChatRequest(body);
      if (!parsed.ok) {
        badRequest(res, "missing or invalid 'model' key");
        return;
      }
      const entry = resolve(parsed.model);
      if (!entry) {
        notFound(res);
        return;
      }
      const wasLoaded = statuses.get(entry.listedId) === 'loaded';
      const request = startInflight(entry.listedId, flatRequestHeaders(req.headers));
      res.on('close', () => endInflight(request));
      if (!(await ensureRunning(entry))) return;
      markLoaded(entry, 'chat');
      if (!wasLoaded) {
        const last = loads[loads.length - 1];
        if (last) loads[loads.length - 1] = { ...last, wasLoaded: false };
      }
      answerChat(res, parsed.request, { label, model: parsed.model });
      return;
    }
    if (path === '/props') {
      const requested = url.searchParams.get('model') ?? '';
      if (requested === '') {
        badRequest(res, "missing required 'model' query parameter");
        return;
      }
      const entry = resolve(requested);
      if (!entry) {
        notFound(res);
        return;
      }
      markLoaded(entry, 'props');
      sendJson(res, 200, propsFor(entry));
      return;
    }
    if (path.startsWith('/upstream/')) {
      const found = findModelInPath(path.slice('/upstream'.length));
      if (!found) {
        badRequest(res, 'model id required in path');
        return;
      }
      markLoaded(found.entry, 'upstream');
      if (found.rest === '/props') {
        sendJson(res, 200, propsFor(found.entry));
      } else {
        sendText(res, 200, `upstream ${found.entry.listedId} ${found.rest}`);
      }
      return;
    }
    sendText(res, 404, '404 page not found');
  };

  /** Builds the model name up segment by segment, as llama-swap's `findModelInPath` does. */
  const findModelInPath = (path: string): { entry: ModelEntry; rest: string } | undefined => {
    const parts = path.split('/');
    let search = '';
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i] ?? '';
      if (part === '') {
        continue;
      }
      search = search === '' ? decodePart(part) : `${search}/${decodePart(part)}`;
      const entry = resolve(search);
      if (entry) {
        return { entry, rest: `/${parts.slice(i + 1).join('/')}` };
      }
    }
    return undefined;
  };

  const core = await startDoubleServer(handle, options.port !== undefined ? { port: options.port } : {});
  const hub = createEventsHub(core);
  hub.fault = options.eventsFault ?? 'none';
  events = hub;

  const double: LlamaSwapDouble = exposeServer<Omit<LlamaSwapDouble, keyof DoubleServer>>(core, {
    label,
    get behavior(): HostBehavior {
      return behavior;
    },
    setBehavior(next: HostBehavior): void {
      behavior = next;
    },
    setModels,
    setLatency(ms: number): void {
      latencyMs = ms;
    },
    get loads(): readonly LlamaSwapLoadEvent[] {
      return [...loads];
    },
    get loadingCalls(): readonly LlamaSwapLoadEvent[] {
      return loads.filter((event) => event.via !== 'chat');
    },
    clearLoads(): void {
      loads = [];
    },
    statusOf(listedId: string): LlamaSwapModelStatus | undefined {
      return statuses.get(listedId);
    },
    setStatus(listedId: string, status: LlamaSwapModelStatus): void {
      if (statuses.has(listedId)) {
        statuses.set(listedId, status);
        setState(listedId, status === 'loaded' ? 'ready' : 'stopped');
      }
    },
    stateOf: (listedId: string) => states.get(listedId),
    setState,
    events: hub,
    setEventsFault(fault: LlamaSwapEventsFault): void {
      hub.fault = fault;
    },
    setUnloadFault(fault: LlamaSwapUnloadFault): void {
      unloadFault = fault;
    },
    setSpeed(listedId: string, p50: number | undefined): void {
      if (p50 === undefined) speeds.delete(listedId);
      else speeds.set(listedId, p50);
    },
    startInflight,
    endInflight,
    get unloads(): readonly string[] {
      return [...unloads];
    },
    listedIds(): string[] {
      return listRecords().map((record) => String(record['id']));
    },
  });
  return double;
}

function flatRequestHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name.replace(/(^|-)([a-z])/gu, (_m, dash: string, c: string) => dash + c.toUpperCase())] = value;
  }
  return out;
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** llama-swap's key choice: Basic (password), then Bearer, then `x-api-key`. */
function providedKey(headers: http.IncomingHttpHeaders): string {
  const auth = headerValue(headers, 'authorization') ?? '';
  let basicKey = '';
  let bearerKey = '';
  if (auth.startsWith('Bearer ')) {
    bearerKey = auth.slice('Bearer '.length);
  } else if (auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice('Basic '.length), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      basicKey = decoded.slice(colon + 1);
    }
  }
  if (basicKey !== '') {
    return basicKey;
  }
  if (bearerKey !== '') {
    return bearerKey;
  }
  return headerValue(headers, 'x-api-key') ?? '';
}

function modelRecord(
  entry: ModelEntry,
  created: number,
  status: LlamaSwapModelStatus,
  legacy: boolean,
): Record<string, unknown> {
  const spec = entry.spec;
  const record: Record<string, unknown> = {
    id: entry.listedId,
    object: 'model',
    created,
    owned_by: 'llama-swap',
  };
  const defaultName = entry.type === 'peer' && spec.peerID ? `${spec.peerID}: ${entry.peerModelId}` : '';
  const name = (spec.name ?? defaultName).trim();
  if (name !== '') {
    record['name'] = name;
  }
  const description = (spec.description ?? '').trim();
  if (description !== '') {
    record['description'] = description;
  }
  if (legacy) {
    return record;
  }
  const caps = spec.capabilities;
  if (caps) {
    const vision = caps.vision === true;
    record['architecture'] = {
      input_modalities: vision ? ['text', 'image'] : ['text'],
      output_modalities: ['text'],
      modality: vision ? 'text+image->text' : 'text->text',
    };
    const capabilities: Record<string, boolean> = {};
    if (caps.vision !== undefined) {
      capabilities['vision'] = caps.vision;
    }
    if (caps.function_calling !== undefined) {
      capabilities['function_calling'] = caps.function_calling;
    }
    record['capabilities'] = capabilities;
    if (caps.function_calling === true) {
      record['supported_parameters'] = ['tools', 'tool_choice'];
    }
  }
  if (spec.contextLength !== undefined) {
    record['context_length'] = spec.contextLength;
  }
  const llamaswap: Record<string, unknown> = { type: entry.type };
  if (spec.aliases && spec.aliases.length > 0) {
    llamaswap['aliases'] = [...spec.aliases];
  }
  if (entry.type === 'peer' && spec.peerID) {
    llamaswap['peerID'] = spec.peerID;
  }
  const meta: Record<string, unknown> = { llamaswap };
  if (spec.contextLength !== undefined) {
    meta['n_ctx'] = spec.contextLength;
  }
  record['meta'] = meta;
  record['status'] = { value: status };
  return record;
}

function propsFor(entry: ModelEntry): Record<string, unknown> {
  return {
    default_generation_settings: { n_ctx: entry.spec.contextLength ?? 4096 },
    total_slots: 1,
    model_path: `/models/${entry.listedId}.gguf`,
  };
}
