/**
 * Between the picker's full `Snapshot` (what the view renders from) and its wire form (what the
 * host posts and the view saves). `fromWire(toWire(s))` gives back `s`.
 */
import type { Snapshot, SnapshotEntry, SnapshotGroup, WireSnapshot } from './protocol';

export function toWire(snapshot: Snapshot): WireSnapshot {
  return {
    f: snapshot.favorites.map((entry) => entry.id),
    g: snapshot.groups.map((group) => ({
      p: group.provider,
      l: group.label,
      k: group.kind,
      s: group.state,
      m: group.models.map((entry) => {
        const wire: WireSnapshot['g'][number]['m'][number] = { m: entry.model };
        if (entry.name !== entry.model) wire.n = entry.name;
        if (entry.description !== undefined) wire.d = entry.description;
        if (entry.contextWindow !== undefined) wire.c = entry.contextWindow;
        if (entry.loaded !== undefined) wire.l = entry.loaded;
        if (entry.state !== undefined) wire.s = entry.state;
        return wire;
      }),
    })),
    h: snapshot.hiddenFavorites,
    ...(snapshot.activeId !== undefined ? { a: snapshot.activeId } : {}),
    y: snapshot.sync,
    r: snapshot.registryProblems,
    x: snapshot.actions,
  };
}

/**
 * The full snapshot back. `fromCache`: the view restored it from its saved state, so every
 * provider's state is marked as such and nothing is shown as being checked.
 */
export function fromWire(wire: WireSnapshot, options: { fromCache?: boolean } = {}): Snapshot {
  const favoriteIds = new Set(wire.f);
  const byId = new Map<string, SnapshotEntry>();
  const groups: SnapshotGroup[] = wire.g.map((group) => {
    const provider = group.p;
    let state = group.s;
    if (options.fromCache === true) {
      const { checking: _checking, ...rest } = group.s;
      state = { ...rest, fromCache: true };
    }
    return {
      provider,
      label: group.l,
      kind: group.k,
      state,
      models: group.m.map((m) => {
        const id = `${provider}/${m.m}`;
        const entry: SnapshotEntry = {
          id,
          provider,
          model: m.m,
          name: m.n ?? m.m,
          ...(m.d !== undefined ? { description: m.d } : {}),
          ...(m.c !== undefined ? { contextWindow: m.c } : {}),
          ...(m.l !== undefined ? { loaded: m.l } : {}),
          ...(m.s !== undefined ? { state: m.s } : {}),
          favorite: favoriteIds.has(id),
          active: id === wire.a,
        };
        byId.set(id, entry);
        return entry;
      }),
    };
  });
  const favorites: SnapshotEntry[] = [];
  for (const id of wire.f) {
    const entry = byId.get(id);
    if (entry !== undefined) favorites.push(entry);
  }
  return {
    favorites,
    groups,
    hiddenFavorites: wire.h,
    ...(wire.a !== undefined ? { activeId: wire.a } : {}),
    sync: wire.y,
    registryProblems: wire.r,
    actions: wire.x,
  };
}
