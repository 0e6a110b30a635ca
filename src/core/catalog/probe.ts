import { parseModelList } from './hostModels';
import type { HttpClient } from '../ports';
import { trimTrailingSlashes } from '../common/url';

export type ProbeResult =
  | { readonly kind: 'llama-swap'; readonly models: number }
  | { readonly kind: 'openai-compatible'; readonly models: number }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'not-a-model-host'; readonly reason: string };

/**
 * What is at a URL: llama-swap answers `/health` with `OK` and lists models at `/v1/models`;
 * an OpenAI-compatible server lists them at `{url}/models`. Reads only; never loads a model.
 * The three reads go out together, so a host that answers one and hangs on the others is judged
 * within one timeout.
 */
export async function probeHost(http: HttpClient, baseUrl: string, timeoutMs: number): Promise<ProbeResult> {
  const base = trimTrailingSlashes(baseUrl);
  const [health, models, plain] = await Promise.all([
    http.request({ method: 'GET', url: `${base}/health`, timeoutMs }),
    http.request({ method: 'GET', url: `${base}/v1/models`, timeoutMs }),
    http.request({ method: 'GET', url: `${base}/models`, timeoutMs }),
  ]);
  if (models.kind === 'status' && (models.status === 401 || models.status === 403)) return { kind: 'unauthorized' };
  if (models.kind === 'ok') {
    const list = parseModelList(models.body);
    if (list.ok) return { kind: 'llama-swap', models: list.models.length };
  }
  if (health.kind === 'network' || health.kind === 'timeout') {
    return { kind: 'unreachable', reason: health.kind === 'timeout' ? `no answer within ${timeoutMs} ms` : health.detail };
  }
  if (plain.kind === 'ok') {
    const list = parseModelList(plain.body);
    if (list.ok) return { kind: 'openai-compatible', models: list.models.length };
  }
  if (plain.kind === 'status' && (plain.status === 401 || plain.status === 403)) return { kind: 'unauthorized' };
  if (models.kind === 'timeout' || plain.kind === 'timeout') {
    return { kind: 'unreachable', reason: `it answers /health, but its model list gave no answer within ${timeoutMs} ms` };
  }
  return { kind: 'not-a-model-host', reason: 'it answers, but lists no models at /v1/models or /models' };
}
