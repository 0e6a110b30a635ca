/**
 * DeepSeek's API as the double serves it: `GET /models` (current shape with
 * `name`, `context_window`, `max_output_tokens`, or the legacy `id/object/owned_by` shape) behind
 * `Authorization: Bearer <key>`, and OpenAI-compatible chat at `/v1/chat/completions` and
 * `/chat/completions`. Every request's Authorization header is kept so tests can prove where the
 * key went.
 */
import type * as http from 'node:http';
import { headerValue, requestsCarrying, sendJson, sleepTracked, startDoubleServer, type DoubleRequest, type DoubleServer, exposeServer } from './doubleServer';
import { applyHostBehavior, type HostBehavior } from './hostBehavior';
import { answerChat, parseChatRequest } from './openAiChat';

export interface DeepSeekModelSpec {
  readonly id: string;
  readonly name?: string;
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
}

export interface DeepSeekDoubleOptions {
  readonly apiKey: string;
  /** Defaults to `DEEPSEEK_CURRENT_MODELS`, or `DEEPSEEK_LEGACY_MODELS` when `legacy`. */
  readonly models?: readonly DeepSeekModelSpec[];
  /** Records with only `id`, `object`, `owned_by`. */
  readonly legacy?: boolean;
  readonly port?: number;
  /** Used in chat replies (default `deepseek`). */
  readonly label?: string;
  readonly behavior?: HostBehavior;
  /** Routes the behaviour applies to: the model list only (default) or every route. */
  readonly behaviorScope?: 'models' | 'all';
  /** Delay before answering the model list. */
  readonly latencyMs?: number;
  readonly endlessLimitBytes?: number;
  readonly trickleIntervalMs?: number;
}

export interface DeepSeekDouble extends DoubleServer {
  readonly apiKey: string;
  readonly label: string;
  readonly behavior: HostBehavior;
  setBehavior(behavior: HostBehavior): void;
  setModels(models: readonly DeepSeekModelSpec[]): void;
  setLatency(ms: number): void;
  /** The Authorization header of every request, in order (`undefined` where none was sent). */
  authorizationHeaders(): (string | undefined)[];
  /** True when any recorded request carried `key` in any header or in its body. */
  sawKey(key: string): boolean;
}

/**
 * The current list. `deepseek-flash` is a record as DeepSeek's list returns it; `deepseek-pro` is a second,
 * made-up record of the same shape so lists have more than one entry.
 */
export const DEEPSEEK_CURRENT_MODELS: readonly DeepSeekModelSpec[] = [
  { id: 'deepseek-flash', name: 'DeepSeek-V4.1-Flash', contextWindow: 1048576, maxOutputTokens: 393216 },
  { id: 'deepseek-pro', name: 'DeepSeek-V4.1-Pro', contextWindow: 1048576, maxOutputTokens: 131072 },
];

export const DEEPSEEK_LEGACY_MODELS: readonly DeepSeekModelSpec[] = [
  { id: 'deepseek-chat' },
  { id: 'deepseek-reasoner' },
];

/** DeepSeek's 401 body; it names only the last four characters of the key it got. */
export function deepSeekUnauthorizedBody(sentKey: string): Record<string, unknown> {
  const tail = sentKey.length > 4 ? sentKey.slice(-4) : '';
  return {
    error: {
      message: `Authentication Fails, Your api key: ****${tail} is invalid`,
      type: 'authentication_error',
      param: null,
      code: 'invalid_request_error',
    },
  };
}

export const DEEPSEEK_MODEL_NOT_EXIST_BODY = {
  error: { message: 'Model Not Exist', type: 'invalid_request_error', param: null, code: 'invalid_request_error' },
} as const;

/** Starts a DeepSeek API double on 127.0.0.1. */
export async function startDeepSeekDouble(options: DeepSeekDoubleOptions): Promise<DeepSeekDouble> {
  const legacy = options.legacy === true;
  const label = options.label ?? 'deepseek';
  const behaviorScope = options.behaviorScope ?? 'models';
  const tuning = {
    ...(options.endlessLimitBytes !== undefined ? { endlessLimitBytes: options.endlessLimitBytes } : {}),
    ...(options.trickleIntervalMs !== undefined ? { trickleIntervalMs: options.trickleIntervalMs } : {}),
  };
  let models: readonly DeepSeekModelSpec[] = options.models ?? (legacy ? DEEPSEEK_LEGACY_MODELS : DEEPSEEK_CURRENT_MODELS);
  let behavior: HostBehavior = options.behavior ?? 'normal';
  let latencyMs = options.latencyMs ?? 0;

  const handle = async ({ req, res, url, body }: DoubleRequest): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const auth = headerValue(req.headers, 'authorization') ?? '';
    if (auth !== `Bearer ${options.apiKey}`) {
      const sent = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
      sendJson(res, 401, deepSeekUnauthorizedBody(sent));
      return;
    }
    const isModelList = method === 'GET' && (path === '/models' || path === '/v1/models');
    if (isModelList && latencyMs > 0) {
      if (!(await sleepTracked(core, latencyMs))) {
        return;
      }
    }
    if ((isModelList || behaviorScope === 'all') && applyHostBehavior(core, res, behavior, tuning)) {
      return;
    }
    if (isModelList) {
      sendJson(res, 200, { object: 'list', data: models.map((model) => modelRecord(model, legacy)) });
      return;
    }
    if (method === 'POST' && (path === '/chat/completions' || path === '/v1/chat/completions')) {
      chat(res, body);
      return;
    }
    sendJson(res, 404, { error: { message: 'Not Found', type: 'invalid_request_error', param: null, code: 'not_found' } });
  };

  const chat = (res: http.ServerResponse, body: string): void => {
    const parsed = parseChatRequest(body);
    if (!parsed.ok) {
      sendJson(res, 422, {
        error: {
          message: parsed.reason === 'json' ? 'Failed to deserialize the JSON body' : 'missing field `model`',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_request_error',
        },
      });
      return;
    }
    if (!models.some((model) => model.id === parsed.model)) {
      sendJson(res, 400, DEEPSEEK_MODEL_NOT_EXIST_BODY);
      return;
    }
    answerChat(res, parsed.request, { label, model: parsed.model });
  };

  const core = await startDoubleServer(handle, options.port !== undefined ? { port: options.port } : {});

  const double: DeepSeekDouble = exposeServer<Omit<DeepSeekDouble, keyof DoubleServer>>(core, {
    apiKey: options.apiKey,
    label,
    get behavior(): HostBehavior {
      return behavior;
    },
    setBehavior(next: HostBehavior): void {
      behavior = next;
    },
    setModels(next: readonly DeepSeekModelSpec[]): void {
      models = [...next];
    },
    setLatency(ms: number): void {
      latencyMs = ms;
    },
    authorizationHeaders(): (string | undefined)[] {
      return core.requests.map((request) => headerValue(request.headers, 'authorization'));
    },
    sawKey(key: string): boolean {
      return requestsCarrying(core.requests, key).length > 0;
    },
  });
  return double;
}

function modelRecord(model: DeepSeekModelSpec, legacy: boolean): Record<string, unknown> {
  const record: Record<string, unknown> = { id: model.id, object: 'model', owned_by: 'deepseek' };
  if (legacy) {
    return record;
  }
  if (model.name !== undefined) {
    record['name'] = model.name;
  }
  if (model.contextWindow !== undefined) {
    record['context_window'] = model.contextWindow;
  }
  if (model.maxOutputTokens !== undefined) {
    record['max_output_tokens'] = model.maxOutputTokens;
  }
  return record;
}
