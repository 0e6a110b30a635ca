import { missingInOpencode, type OpencodeApi, type OpencodeEndpoint, type OpencodeFailure } from './opencodeApi';
import type { ModelRef } from '../identity/modelIdentity';
import { unusableInOpencode } from './opencodeBridge';

export type OpencodePushResult =
  | { readonly kind: 'switched'; readonly sessionId: string }
  /** opencode does not have the model; nothing was sent to the session. */
  | { readonly kind: 'missing'; readonly what: string }
  | OpencodeFailure;

/**
 * Switches an opencode session to `model`, but only after opencode confirmed it has that model:
 * opencode accepts any model here and then answers 500 to every prompt, keeping the bad model.
 */
export async function pushToOpencodeSession(
  api: OpencodeApi,
  endpoint: OpencodeEndpoint,
  model: ModelRef,
  sessionId: string,
): Promise<OpencodePushResult> {
  const refused = unusableInOpencode(model);
  if (refused !== undefined) return { kind: 'missing', what: refused };
  const models = await api.models(endpoint);
  if (models.kind !== 'ok') return models;
  const missing = missingInOpencode(models.value, model);
  if (missing !== undefined) return { kind: 'missing', what: missing };
  const switched = await api.switchModel(endpoint, sessionId, model);
  return switched.kind === 'ok' ? { kind: 'switched', sessionId } : switched;
}
