import { mergeRegistry, parseRegistrySource, type ProviderEntry, type Registry } from '../src/core/registry/registry';
import { identityContext, type IdentityContext } from '../src/core/identity/modelIdentity';
import { createModelServices, type ModelServices, type ModelServicesDeps } from '../src/core/hub/modelServices';

export function llamaSwap(id: string, baseUrl: string, extra: Partial<ProviderEntry> = {}): ProviderEntry {
  return { id, kind: 'llama-swap', baseUrl, ...extra };
}

/** A registry as the settings source would give it, validated like the real one. */
export function registryOf(entries: readonly unknown[], options: { deepseekKey?: boolean } = {}): Registry {
  const parsed = parseRegistrySource(entries, 'test settings', 'user-settings', false);
  if (!parsed.ok) throw new Error(parsed.message);
  if (parsed.problems.length > 0) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return mergeRegistry({ settings: parsed.source, deepseekKeyAvailable: options.deepseekKey ?? false }).registry;
}

export function identityOf(registry: Registry, deepseekListed?: readonly string[]): IdentityContext {
  return identityContext(registry, deepseekListed);
}

import type { ModelInfo } from '../src/core/catalog/hostModels';
import type { ProviderSnapshot } from '../src/core/catalog/providerState';

export function online(models: readonly (string | ModelInfo)[], latencyMs = 10): ProviderSnapshot {
  return { state: { status: 'online', latencyMs }, models: models.map((m) => (typeof m === 'string' ? { id: m } : m)) };
}

export function offline(reason = 'Connection refused', models: readonly string[] = []): ProviderSnapshot {
  return { state: { status: 'offline', reason }, models: models.map((id) => ({ id })) };
}

/**
 * The app's one wiring (`createModelServices`) as unit tests run it: no credentials, no waits, no
 * log, a 1 s timeout. `deps` gives the HTTP client and store and whatever the test varies.
 */
export function testServices(deps: Pick<ModelServicesDeps, 'http' | 'store'> & Partial<ModelServicesDeps>): ModelServices {
  return createModelServices({
    clock: { now: () => Date.now() },
    credentialFor: async () => undefined,
    timeoutMs: () => 1000,
    sleep: async () => undefined,
    log: () => undefined,
    ...deps,
  });
}
