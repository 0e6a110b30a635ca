import { t } from '../../shared/l10n';
import { shownText } from '../trust/redact';

import * as z from 'zod/mini';
import { formatModelId, type ModelRef } from '../identity/modelIdentity';
import type { HttpClient, HttpResult } from '../ports';
import type { ServerEndpoint } from '../favorites/settingsApi';
import { trimTrailingSlashes } from '../common/url';

export interface BooCoderSession {
  readonly id: string;
  readonly title: string;
  /** As the server stores it: composite, or a bare id written by an older client. */
  readonly model: string;
  /** ISO 8601. */
  readonly updatedAt: string;
}

export interface BooCoderFailure {
  readonly kind: 'failed';
  readonly reason: string;
  readonly unauthorized?: boolean;
  /** 404: the session does not exist (any more). */
  readonly notFound?: boolean;
}

export type BooCoderResult<T> = { readonly kind: 'ok'; readonly value: T } | BooCoderFailure;

const sessionSchema = z.object({ id: z.string(), title: z.string(), model: z.string(), updatedAt: z.string() });
const errorSchema = z.object({ error: z.string() });


/** The server's own message, redacted of the token before it is shortened. */
function serverMessage(bodyText: string, secrets: readonly (string | undefined)[]): string | undefined {
  try {
    const parsed = errorSchema.safeParse(JSON.parse(bodyText));
    return parsed.success ? shownText(parsed.data.error, 300, secrets) : undefined;
  } catch {
    return undefined;
  }
}

function describe(result: Exclude<HttpResult, { kind: 'ok' }>, url: string, what: string, secrets: readonly (string | undefined)[]): BooCoderFailure {
  switch (result.kind) {
    case 'status': {
      if (result.status === 401 || result.status === 403) {
        return { kind: 'failed', unauthorized: true, reason: t('{0}: the BooCode server refused the token (HTTP {1}). Run "BooCode: Set Server Token".', what, result.status) };
      }
      const detail = serverMessage(result.bodyText, secrets);
      return { kind: 'failed', reason: detail !== undefined ? t('{0}: the BooCode server at {1} answered HTTP {2} ({3}).', what, url, result.status, detail) : t('{0}: the BooCode server at {1} answered HTTP {2}.', what, url, result.status) };
    }
    case 'timeout':
    case 'network':
      return {
        kind: 'failed',
        reason: t('{0}: the BooCode server is not reachable at {1} ({2}). Start it, or change the setting boocode.serverUrl.', what, url, result.kind === 'timeout' ? t('no answer within {0} ms', result.afterMs) : result.detail),
      };
    case 'unparsable':
      return { kind: 'failed', reason: t("{0}: the BooCode server's answer is not JSON.", what) };
    case 'too-large':
      return { kind: 'failed', reason: t("{0}: the BooCode server's answer is too large.", what) };
    case 'redirect':
      return { kind: 'failed', reason: t('{0}: the BooCode server redirects (HTTP {1}); not followed. Check boocode.serverUrl.', what, result.status) };
    case 'aborted':
      return { kind: 'failed', reason: t('{0}: cancelled.', what)
 };
  }
}

function headersFor(endpoint: ServerEndpoint): Record<string, string> {
  return endpoint.token !== undefined ? { authorization: `Bearer ${endpoint.token}` } : {};
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** BooCoder's sessions on the BooCode server (contract in the OpenSpec design). */
export class BooCoderApi {
  constructor(private readonly http: HttpClient) {}

  /** `GET {serverUrl}/api/coder/sessions`, most recently updated first. */
  async sessions(endpoint: ServerEndpoint): Promise<BooCoderResult<readonly BooCoderSession[]>> {
    const url = trimTrailingSlashes(endpoint.baseUrl);
    const what = t('Listing BooCoder sessions');
    const result = await this.http.request({ method: 'GET', url: `${url}/api/coder/sessions`, headers: headersFor(endpoint), timeoutMs: endpoint.timeoutMs });
    if (result.kind !== 'ok') return describe(result, url, what, [endpoint.token]);
    const parsed = z.array(sessionSchema).safeParse(result.body);
    if (!parsed.success) return { kind: 'failed', reason: t("{0}: the BooCode server's answer is not a list of sessions.", what) };
    return { kind: 'ok', value: [...parsed.data].sort((a, b) => time(b.updatedAt) - time(a.updatedAt)) };
  }

  /**
   * `PATCH {serverUrl}/api/coder/sessions/{id}` with `{"model":"<provider>/<model>"}`. It takes a
   * resolved model, so the id sent is always composite, never a bare one.
   */
  async switchModel(endpoint: ServerEndpoint, sessionId: string, model: ModelRef): Promise<BooCoderResult<BooCoderSession>> {
    const url = trimTrailingSlashes(endpoint.baseUrl);
    const id = formatModelId(model);
    const result = await this.http.request({
      method: 'PATCH',
      url: `${url}/api/coder/sessions/${encodeURIComponent(sessionId)}`,
      headers: headersFor(endpoint),
      json: { model: id },
      timeoutMs: endpoint.timeoutMs,
    });
    if (result.kind === 'status' && result.status === 404) {
      return { kind: 'failed', notFound: true, reason: t('BooCoder session "{0}" no longer exists. List the sessions again.', sessionId) };
    }
    if (result.kind === 'status' && result.status === 400) {
      const detail = serverMessage(result.bodyText, [endpoint.token]);
      return { kind: 'failed', reason: detail !== undefined ? t('The BooCode server rejected model "{0}": {1}.', id, detail) : t('The BooCode server rejected model "{0}" (HTTP 400).', id) };
    }
    if (result.kind !== 'ok') return describe(result, url, t('Switching the BooCoder session'), [endpoint.token]);
    const parsed = sessionSchema.safeParse(result.body);
    if (!parsed.success) return { kind: 'failed', reason: t("Switching the BooCoder session: the BooCode server's answer is not a session.") };
    return { kind: 'ok', value: parsed.data };
  }
}
