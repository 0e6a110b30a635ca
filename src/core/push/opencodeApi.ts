import { t } from '../../shared/l10n';
import { shownText } from '../trust/redact';
import * as z from 'zod/mini';
import { base64Utf8 } from '../common/base64';
import type { ModelRef } from '../identity/modelIdentity';
import type { HttpClient, HttpRequest, HttpResult } from '../ports';
import { trimTrailingSlashes } from '../common/url';

/** opencode's basic-auth user when `OPENCODE_SERVER_PASSWORD` is set on the server. */
export const OPENCODE_USER = 'opencode';

export interface OpencodeEndpoint {
  readonly baseUrl: string;
  readonly password: string | undefined;
  readonly timeoutMs: number;
}

export interface OpencodeFailure {
  readonly kind: 'failed';
  readonly reason: string;
  /** 401: the server wants a (different) password. */
  readonly unauthorized?: boolean;
  /** 404: the session does not exist (any more). */
  readonly notFound?: boolean;
}

export type OpencodeResult<T> = { readonly kind: 'ok'; readonly value: T } | OpencodeFailure;

/** Provider id -> the model ids opencode has for it. */
export type OpencodeModels = ReadonlyMap<string, ReadonlySet<string>>;

export interface OpencodeSession {
  readonly id: string;
  readonly title: string;
  /** Epoch ms of the last change. */
  readonly updated: number;
  /** The session's model as a composite id, when it has one. */
  readonly model?: string;
}

/**
 * `models` is kept as opencode sent it: zod's record output drops a key named `__proto__`, and a
 * model of that name is as real as any other.
 */
const jsonObject = z.custom<object>((value) => typeof value === 'object' && value !== null && !Array.isArray(value));
const providersSchema = z.object({
  providers: z.array(z.object({ id: z.string(), models: jsonObject })),
});
const sessionSchema = z.object({
  id: z.string(),
  title: z.optional(z.string()),
  parentID: z.optional(z.string()),
  time: z.object({ updated: z.number() }),
  model: z.optional(z.object({ providerID: z.string(), id: z.string() })),
});
const pathSchema = z.object({ directory: z.string() });
const errorSchema = z.object({ message: z.string() });


/** opencode's own message, redacted of the password before it is shortened. */
function serverMessage(bodyText: string, secrets: readonly (string | undefined)[]): string | undefined {
  try {
    const parsed = errorSchema.safeParse(JSON.parse(bodyText));
    return parsed.success ? shownText(parsed.data.message, 300, secrets) : undefined;
  } catch {
    return undefined;
  }
}

/** What went wrong, with what to do about it, naming the URL (never the password). */
export function describeOpencodeFailure(
  result: Exclude<HttpResult, { kind: 'ok' }>,
  url: string,
  what: string,
  secrets: readonly (string | undefined)[] = [],
): OpencodeFailure {
  const where = t('opencode at {0}', url);
  switch (result.kind) {
    case 'status': {
      if (result.status === 401 || result.status === 403) {
        return { kind: 'failed', unauthorized: true, reason: t('{0}: {1} wants a password (HTTP {2}); the one stored does not match, or none is stored.', what, where, result.status) };
      }
      const detail = serverMessage(result.bodyText, secrets);
      return {
        kind: 'failed',
        ...(result.status === 404 ? { notFound: true } : {}),
        reason: detail !== undefined ? t('{0}: {1} answered HTTP {2} ({3}).', what, where, result.status, detail) : t('{0}: {1} answered HTTP {2}.', what, where, result.status),
      };
    }
    case 'timeout':
    case 'network':
      return {
        kind: 'failed',
        reason: t('{0}: opencode is not reachable at {1} ({2}). Start it with "opencode serve --port <port>", or change the setting boocode.opencodeUrl.', what, url, result.kind === 'timeout' ? t('no answer within {0} ms', result.afterMs) : result.detail),
      };
    case 'unparsable':
      return { kind: 'failed', reason: t('{0}: {1} answered something that is not JSON; is it opencode?', what, where) };
    case 'too-large':
      return { kind: 'failed', reason: t('{0}: the answer of {1} is too large.', what, where) };
    case 'redirect':
      return { kind: 'failed', reason: t('{0}: {1} redirects (HTTP {2}); not followed. Check boocode.opencodeUrl.', what, where, result.status) };
    case 'aborted':
      return { kind: 'failed', reason: t('{0}: cancelled.', what) };
  }
}

/**
 * The few routes of `opencode serve` (1.18) the session push relies on; see the OpenSpec design.
 * Names can mislead there: `PATCH /config` has no effect, and an unknown model is accepted by
 * `POST /api/session/{id}/model` and fails only later, so callers check `models()` first.
 */
export class OpencodeApi {
  constructor(private readonly http: HttpClient) {}

  private send(endpoint: OpencodeEndpoint, method: HttpRequest['method'], path: string, json?: unknown): Promise<HttpResult> {
    const headers: Record<string, string> =
      endpoint.password !== undefined ? { authorization: `Basic ${base64Utf8(`${OPENCODE_USER}:${endpoint.password}`)}` } : {};
    return this.http.request({
      method,
      url: `${trimTrailingSlashes(endpoint.baseUrl)}${path}`,
      headers,
      ...(json !== undefined ? { json } : {}),
      timeoutMs: endpoint.timeoutMs,
    });
  }

  private async read<T>(endpoint: OpencodeEndpoint, path: string, what: string, parse: (body: unknown) => T | undefined): Promise<OpencodeResult<T>> {
    const result = await this.send(endpoint, 'GET', path);
    if (result.kind !== 'ok') return describeOpencodeFailure(result, trimTrailingSlashes(endpoint.baseUrl), what, passwordForms(endpoint));
    const value = parse(result.body);
    if (value === undefined) return { kind: 'failed', reason: t('{0}: the answer of opencode at {1} has an unexpected shape.', what, trimTrailingSlashes(endpoint.baseUrl))
 };
    return { kind: 'ok', value };
  }

  health(endpoint: OpencodeEndpoint): Promise<OpencodeResult<{ readonly version: string }>> {
    return this.read(endpoint, '/global/health', t('Checking opencode'), (body) => {
      const parsed = z.object({ healthy: z.literal(true), version: z.string() }).safeParse(body);
      return parsed.success ? { version: parsed.data.version } : undefined;
    });
  }

  /** The providers and models opencode has now (`GET /config/providers`). */
  models(endpoint: OpencodeEndpoint): Promise<OpencodeResult<OpencodeModels>> {
    return this.read(endpoint, '/config/providers', t('Reading opencode providers'), (body) => {
      const parsed = providersSchema.safeParse(body);
      if (!parsed.success) return undefined;
      return new Map(parsed.data.providers.map((p) => [p.id, new Set(Object.keys(p.models))]));
    });
  }

  /** Top-level sessions, most recently updated first (`GET /session`). */
  sessions(endpoint: OpencodeEndpoint): Promise<OpencodeResult<readonly OpencodeSession[]>> {
    return this.read(endpoint, '/session', t('Listing opencode sessions'), (body) => {
      if (!Array.isArray(body)) return undefined;
      const sessions: OpencodeSession[] = [];
      for (const raw of body) {
        const parsed = sessionSchema.safeParse(raw);
        if (!parsed.success || parsed.data.parentID !== undefined) continue;
        const s = parsed.data;
        sessions.push({
          id: s.id,
          title: s.title ?? s.id,
          updated: s.time.updated,
          ...(s.model ? { model: `${s.model.providerID}/${s.model.id}` } : {}),
        });
      }
      return sessions.sort((a, b) => b.updated - a.updated);
    });
  }

  /** The directory opencode serves (its project config is read from there). */
  directory(endpoint: OpencodeEndpoint): Promise<OpencodeResult<string>> {
    return this.read(endpoint, '/path', t('Reading opencode paths'), (body) => {
      const parsed = pathSchema.safeParse(body);
      return parsed.success ? parsed.data.directory : undefined;
    });
  }

  /** Ends opencode's instance for its directory; the next request reads the project config again. */
  async reload(endpoint: OpencodeEndpoint): Promise<OpencodeResult<true>> {
    const result = await this.send(endpoint, 'POST', '/instance/dispose');
    return result.kind === 'ok' ? { kind: 'ok', value: true } : describeOpencodeFailure(result, trimTrailingSlashes(endpoint.baseUrl), t('Reloading opencode config'), passwordForms(endpoint));
  }

  /** Later prompts of the session that name no model use this one (204). Check `models()` first. */
  async switchModel(endpoint: OpencodeEndpoint, sessionId: string, model: ModelRef): Promise<OpencodeResult<true>> {
    const result = await this.send(endpoint, 'POST', `/api/session/${encodeURIComponent(sessionId)}/model`, {
      model: { providerID: model.provider, id: model.model },
    });
    if (result.kind === 'ok') return { kind: 'ok', value: true };
    const failure = describeOpencodeFailure(result, trimTrailingSlashes(endpoint.baseUrl), t('Switching the opencode session'), passwordForms(endpoint));
    return failure.notFound ? { ...failure, reason: `opencode has no session "${sessionId}" (any more). List the sessions again.` } : failure;
  }
}

/** The password as sent (inside basic credentials) and as typed, for redacting what opencode answers. */
function passwordForms(endpoint: OpencodeEndpoint): (string | undefined)[] {
  return endpoint.password !== undefined ? [base64Utf8(`${OPENCODE_USER}:${endpoint.password}`), endpoint.password] : [];
}

/** Says exactly what opencode lacks for `model`, or undefined when it has it. */
export function missingInOpencode(models: OpencodeModels, model: ModelRef): string | undefined {
  const provider = models.get(model.provider);
  if (provider === undefined) return `opencode has no provider "${model.provider}"`;
  if (!provider.has(model.model)) return `opencode's provider "${model.provider}" has no model "${model.model}"`;
  return undefined;
}
