import { t } from '../../shared/l10n';
import type { HttpClient, HttpResult } from '../ports';
import { trimTrailingSlashes } from '../common/url';

export const FAVORITES_KEY = 'model_favorites';

export type SettingsRead =
  | { readonly kind: 'value'; readonly value: readonly string[]; readonly etag: string }
  | { readonly kind: 'missing' }
  | SettingsFailure;

/**
 * `conflict`: 412, or 422 (the key was seen with another body). `keyHonored`: the answer echoed
 * our `Idempotency-Key`, so the server stores answers by key and this one is final.
 * A failure with `uncertain` may have been applied (5xx, timeout, lost connection, an unreadable
 * 2xx); any other failure was refused before anything was written.
 */
export type SettingsWrite =
  | { readonly kind: 'written'; readonly etag: string }
  | { readonly kind: 'conflict'; readonly keyHonored: boolean }
  | (SettingsFailure & { readonly uncertain?: boolean });

/** `unauthorized`: the token was refused; `invalid`: the server answered something unusable. */
export interface SettingsFailure {
  readonly kind: 'failed';
  readonly reason: string;
  readonly unauthorized?: boolean;
  readonly invalid?: boolean;
}

function failure(result: Exclude<HttpResult, { kind: 'ok' }>, what: string): SettingsFailure {
  const unauthorized = result.kind === 'status' && (result.status === 401 || result.status === 403);
  const invalid = result.kind === 'unparsable' || result.kind === 'too-large' || result.kind === 'redirect';
  return { kind: 'failed', reason: describeHttpFailure(result, what), ...(unauthorized ? { unauthorized } : {}), ...(invalid ? { invalid } : {}) };
}

export interface ServerEndpoint {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly timeoutMs: number;
  /** Set when a token exists but may not go to this URL: the server is then not contacted. */
  readonly withheld?: string;
}

export function describeHttpFailure(result: Exclude<HttpResult, { kind: 'ok' }>, what: string): string {
  switch (result.kind) {
    case 'status':
      if (result.status === 401 || result.status === 403) {
        return t('{0}: the server refused the token (HTTP {1}). Run "BooCode: Set Server Token".', what, result.status);
      }
      return t('{0}: the server answered HTTP {1}.', what, result.status);
    case 'unparsable':
      return t("{0}: the server's answer is not JSON.", what);
    case 'too-large':
      return t("{0}: the server's answer is too large.", what);
    case 'redirect':
      return t('{0}: the server redirects (HTTP {1}); not followed.', what, result.status);
    case 'timeout':
      return t('{0}: no answer within {1} ms.', what, result.afterMs);
    case 'network':
      return `${what}: ${result.detail}`;
    case 'aborted':
      return t('{0}: cancelled.', what);
  }
}

function headersFor(endpoint: ServerEndpoint, extra: Record<string, string> = {}): Record<string, string> {
  return endpoint.token !== undefined ? { authorization: `Bearer ${endpoint.token}`, ...extra } : extra;
}

function settingsUrl(endpoint: ServerEndpoint, key: string): string {
  return `${trimTrailingSlashes(endpoint.baseUrl)}/api/settings/${encodeURIComponent(key)}`;
}

/** The BooCode server's settings API, as the extension relies on it (see the OpenSpec design). */
export class SettingsApi {
  constructor(private readonly http: HttpClient) {}

  async readFavorites(endpoint: ServerEndpoint): Promise<SettingsRead> {
    const result = await this.http.request({
      method: 'GET',
      url: settingsUrl(endpoint, FAVORITES_KEY),
      headers: headersFor(endpoint),
      timeoutMs: endpoint.timeoutMs,
    });
    const what = t('Reading favorites');
    if (result.kind === 'status' && result.status === 404) return { kind: 'missing' };
    if (result.kind !== 'ok') return failure(result, what);
    const body = result.body;
    const value = typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
      return { kind: 'failed', invalid: true, reason: t("{0}: the server's value is not a list of model ids; it is left as it is.", what) };
    }
    const etag = result.headers['etag'];
    if (etag === undefined || etag === '') return { kind: 'failed', invalid: true, reason: t('{0}: the server sent no ETag.', what) }
;
    return { kind: 'value', value, etag };
  }

  /**
   * Writes conditionally: `etag` undefined means "create only" (If-None-Match: *). The same
   * `idempotencyKey` with the same value and `etag` is the same request: a retry of a write whose
   * answer was lost, which a server honouring the key answers from its record, not again.
   */
  async writeFavorites(endpoint: ServerEndpoint, value: readonly string[], etag: string | undefined, idempotencyKey: string): Promise<SettingsWrite> {
    const result = await this.http.request({
      method: 'PUT',
      url: settingsUrl(endpoint, FAVORITES_KEY),
      headers: headersFor(endpoint, { ...(etag !== undefined ? { 'if-match': etag } : { 'if-none-match': '*' }), 'idempotency-key': idempotencyKey }),
      json: { value },
      timeoutMs: endpoint.timeoutMs,
    });
    const what = t('Saving favorites');
    if (result.kind === 'status' && (result.status === 412 || result.status === 422)) {
      return { kind: 'conflict', keyHonored: result.status === 412 && result.headers['idempotency-key'] === idempotencyKey };
    }
    if (result.kind !== 'ok') {
      const uncertain = result.kind === 'timeout' || result.kind === 'network' || result.kind === 'aborted' || result.kind === 'unparsable' ||
        result.kind === 'too-large' || (result.kind === 'status' && result.status >= 500);
      return { ...failure(result, what), ...(uncertain ? { uncertain } : {}) };
    }
    const newEtag = result.headers['etag'];
    if (newEtag === undefined || newEtag === '') return { kind: 'failed', invalid: true, uncertain: true, reason: t('{0}: the server sent no ETag.', what) }
;
    return { kind: 'written', etag: newEtag };
  }
}
