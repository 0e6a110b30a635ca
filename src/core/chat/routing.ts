import type { ProviderSnapshot } from '../catalog/providerState';
import { t } from '../../shared/l10n';
import { resolveModelId, type IdentityContext } from '../identity/modelIdentity';
import { findProvider, type ProviderKind, type Registry } from '../registry/registry';

export interface Route {
  /** Canonical composite id. */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly kind: ProviderKind;
  /** The OpenAI-compatible base a chat is sent to (`{base}/chat/completions`). */
  readonly baseUrl: string;
  readonly viaSidecar: boolean;
  readonly cloud: boolean;
  /** Only what the registry or the provider reported; absent when unknown. */
  readonly contextWindow?: number;
  readonly legacy: boolean;
}

export type RouteResult = ({ readonly ok: true } & Route) | { readonly ok: false; readonly reason: string };

/**
 * Where a chat for `id` goes. The sidecar belongs to the provider that declares it and to no
 * other; only the `deepseek` kind is cloud, whatever a local model is called.
 */
export function resolveRoute(
  id: string,
  registry: Registry,
  identity: IdentityContext,
  snapshots: ReadonlyMap<string, ProviderSnapshot>,
): RouteResult {
  const resolved = resolveModelId(id, identity);
  if (!resolved.ok) return resolved;
  const provider = findProvider(registry, resolved.provider);
  if (!provider) return { ok: false, reason: t('Provider "{0}" is not registered.', resolved.provider) }
;
  const viaSidecar = provider.sidecarUrl !== undefined;
  const baseUrl =
    provider.sidecarUrl ?? (provider.kind === 'openai-compatible' ? provider.baseUrl : `${provider.baseUrl}/v1`);
  const reported = snapshots.get(provider.id)?.models.find((m) => m.id === resolved.model)?.contextWindow;
  const contextWindow = provider.contextWindow.get(resolved.model) ?? reported;
  return {
    ok: true,
    id: resolved.id,
    provider: provider.id,
    model: resolved.model,
    kind: provider.kind,
    baseUrl,
    viaSidecar,
    cloud: provider.kind === 'deepseek',
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    legacy: resolved.legacy,
  };
}
