/**
 * A llama-swap host as `../shared/recipes/llama-swap.md` records it: `/v1/models` (and `/models`)
 * with the current or the legacy record shape, `/running`, `/health`, OpenAI-compatible chat, and
 * the two routes that LOAD models on a real host (`/upstream/{model}/...`, `/props?model=`), which
 * this double logs so tests can prove a picker never called them.
 */
import type * as http from 'node:http';
import {
  compareBytes,
  headerValue,
  sendJson,
  sendText,
  sleepTracked,
  startDoubleServer,
  type DoubleRequest,
  type DoubleServer,
} from './doubleServer';
import { applyHostBehavior, type HostBehavior } from './hostBehavior';
import { answerChat, parseChatRequest } from './openAiChat';

export type LlamaSwapModelType = 'model' | 'alias' | 'peer' | 'selector' | 'profile';
export type LlamaSwapModelStatus = 'loaded' | 'unloaded';

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

  const setModels = (models: readonly LlamaSwapModelSpec[]): void => {
    entries = models.map(toEntry);
    statuses.clear();
    for (const entry of entries) {
      statuses.set(entry.listedId, entry.spec.status ?? 'unloaded');
    }
  };
  setModels(options.models);

  const resolve = (requested: string): ModelEntry | undefined =>
    entries.find((entry) => entry.listedId === requested) ??
    entries.find((entry) => (entry.spec.aliases ?? []).includes(requested));

  const markLoaded = (entry: ModelEntry, via: LlamaSwapLoadVia): void => {
    const wasLoaded = statuses.get(entry.listedId) === 'loaded';
    statuses.set(entry.listedId, 'loaded');
    loads.push({ model: entry.listedId, via, wasLoaded, time: Date.now() });
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
    if (method === 'GET' && path === '/running') {
      const running = entries
        .filter((entry) => entry.type !== 'peer' && statuses.get(entry.listedId) === 'loaded')
        .map((entry, index) => ({
          model: entry.listedId,
          state: 'ready',
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
      markLoaded(entry, 'chat');
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

  const double: LlamaSwapDouble = {
    get url(): string {
      return core.url;
    },
    get port(): number {
      return core.port;
    },
    get listening(): boolean {
      return core.listening;
    },
    get requests() {
      return core.requests;
    },
    clearRequests: () => core.clearRequests(),
    stop: () => core.stop(),
    restart: () => core.restart(),
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
      }
    },
    listedIds(): string[] {
      return listRecords().map((record) => String(record['id']));
    },
  };
  return double;
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
