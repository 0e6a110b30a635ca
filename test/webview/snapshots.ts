/** Small builders for the snapshots the host sends the picker; every result is schema-checked. */
import { compactSnapshot, expandSnapshot, snapshotSchema, type CatalogEntry, type CatalogGroup, type PickerView } from '../../src/shared/catalog';

type State = CatalogGroup['state'];

export function entry(provider: string, model: string, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return { id: `${provider}/${model}`, provider, model, name: model, favorite: false, active: false, ...extra };
}

export function online(latencyMs = 12): State {
  return { status: 'online', latencyMs };
}

export function offline(reason = 'Connection refused'): State {
  return { status: 'offline', reason };
}

export function group(provider: string, models: readonly (string | CatalogEntry)[], state: State = online(), label = provider): CatalogGroup {
  return {
    provider,
    label,
    kind: 'llama-swap',
    state,
    models: state.status === 'online' ? models.map((m) => (typeof m === 'string' ? entry(provider, m) : m)) : [],
  };
}

/**
 * A snapshot as the host builds it: favorites are the group entries flagged `favorite`, in the
 * order given by `favoriteOrder` (default: catalog order); the active flag follows `activeId`;
 * Recent is the group entries with the ids in `recentOrder`, in that order.
 */
export function snapshot(
  groups: readonly CatalogGroup[],
  options: Partial<Omit<PickerView, 'groups' | 'favorites' | 'recent'>> & { favoriteOrder?: readonly string[]; recentOrder?: readonly string[] } = {},
): PickerView {
  const { favoriteOrder, recentOrder, ...rest } = options;
  const activeId = rest.activeId;
  const fixed = groups.map((g) => ({ ...g, models: g.models.map((m) => ({ ...m, active: m.id === activeId })) }));
  const favorites = fixed.flatMap((g) => g.models.filter((m) => m.favorite));
  if (favoriteOrder !== undefined) favorites.sort((a, b) => favoriteOrder.indexOf(a.id) - favoriteOrder.indexOf(b.id));
  const byId = new Map(fixed.flatMap((g) => g.models.map((m) => [m.id, m] as const)));
  const recent = (recentOrder ?? []).flatMap((id) => byId.get(id) ?? []);
  const view: PickerView = {
    favorites,
    recent,
    groups: fixed,
    hiddenFavorites: 0,
    sync: { mode: 'local', state: 'local', pending: 0 },
    registryProblems: [],
    actions: [],
    ...rest,
  };
  // Through the one schema and back: what the view would render from.
  return expandSnapshot(snapshotSchema.parse(compactSnapshot(view)));
}

/** `groups` providers with `perGroup` models each; every 97th model is a favorite. */
export function largeSnapshot(groups = 100, perGroup = 50): PickerView {
  const out: CatalogGroup[] = [];
  let n = 0;
  for (let g = 0; g < groups; g++) {
    const provider = `host-${String(g).padStart(3, '0')}`;
    const models: CatalogEntry[] = [];
    for (let m = 0; m < perGroup; m++, n++) {
      const family = ['qwen3-coder', 'llama-3.3', 'deepseek-r1', 'gemma-3', 'mistral-small'][n % 5] ?? 'model';
      models.push(
        entry(provider, `${family}-${m}b-q${(m % 8) + 1}`, {
          name: `${family} ${m}B Q${(m % 8) + 1}`,
          contextWindow: [8192, 32768, 131072][m % 3],
          loaded: m % 7 === 0,
          favorite: n % 97 === 0,
        }),
      );
    }
    out.push(group(provider, models, online(5 + (g % 40)), `Host ${g}`));
  }
  return snapshot(out, { activeId: 'host-000/qwen3-coder-0b-q1' });
}

/** Two providers, one favorite (`beta/x`, also in its group), `alpha/one` active. */
export function twoProviders(): PickerView {
  return snapshot(
    [
      group('alpha', [entry('alpha', 'one', { contextWindow: 32768, loaded: true }), entry('alpha', 'two')], online(12), 'Alpha Box'),
      group('beta', [entry('beta', 'x', { favorite: true, name: 'X Large' }), entry('beta', 'y', { contextWindow: 131072 })], online(40)),
    ],
    { activeId: 'alpha/one', actions: ['pushToOpencode'] },
  );
}
