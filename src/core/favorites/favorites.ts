import { identityKey, type IdentityContext } from '../identity/modelIdentity';

/** A user's intent, recorded before the server has it. `id` is the composite id. */
export interface FavoriteOp {
  readonly kind: 'add' | 'remove';
  readonly id: string;
  readonly seq: number;
  /**
   * For a removal: the stored forms it meant when it was made (`qwen3` as well as
   * `sam-desktop/qwen3`), removed even if a registry change gives them another meaning before the flush.
   */
  readonly forms?: readonly string[];
}

function keyOf(id: string, ctx: IdentityContext): string {
  // An id that no longer resolves (its provider left the registry) keys by itself: kept, untouched.
  return identityKey(id, ctx) ?? `unresolved:${id}`;
}

export function isFavorite(list: readonly string[], id: string, ctx: IdentityContext): boolean {
  const key = keyOf(id, ctx);
  return list.some((stored) => keyOf(stored, ctx) === key);
}

/**
 * Applies operations on top of a stored list. `add` appends the composite id unless some stored
 * form already means that model; `remove` drops every stored form that means it (a legacy bare
 * id and its composite twin alike). Everything else is kept as it is, in order.
 */
export function applyOps(base: readonly string[], ops: readonly FavoriteOp[], ctx: IdentityContext): string[] {
  let list = [...base];
  for (const op of ops) {
    const key = keyOf(op.id, ctx);
    if (op.kind === 'add') {
      if (!list.some((stored) => keyOf(stored, ctx) === key)) list.push(op.id);
    } else {
      const forms = new Set(op.forms ?? []);
      list = list.filter((stored) => keyOf(stored, ctx) !== key && !forms.has(stored));
    }
  }
  return list;
}

/** The stored forms in `list` that mean the same model as `id` (what a removal of `id` takes away). */
export function formsOf(list: readonly string[], id: string, ctx: IdentityContext): string[] {
  const key = keyOf(id, ctx);
  return list.filter((stored) => keyOf(stored, ctx) === key);
}

/** Queues an operation; an earlier pending operation on the same model is superseded. */
export function enqueueOp(queue: readonly FavoriteOp[], op: FavoriteOp, ctx: IdentityContext): FavoriteOp[] {
  const key = keyOf(op.id, ctx);
  return [...queue.filter((queued) => keyOf(queued.id, ctx) !== key), op];
}

/** Union of two lists, by meaning: `b`'s forms are added where `a` has no form of the same model. */
export function unionFavorites(a: readonly string[], b: readonly string[], ctx: IdentityContext): string[] {
  return applyOps(a, b.map((id, seq) => ({ kind: 'add' as const, id, seq })), ctx);
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
