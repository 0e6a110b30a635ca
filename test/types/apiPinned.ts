/**
 * `boocode-models.d.ts` is written by hand (other extensions read it), but it may not drift from
 * what the extension hands out: each assertion below fails `tsc` when the public type and the
 * internal one differ in either direction (a field added, dropped, retyped or made writable).
 */
import type * as Api from '../../boocode-models';
import type { CatalogEntry, CatalogGroup, ModelState, ProviderKind, ProviderState, ProviderStatus } from '../../src/shared/catalog';
import type { Route } from '../../src/core/chat/routing';
import type { CatalogView } from '../../src/core/catalog/catalogView';

/** True only when A and B are the same type (readonly and optional modifiers included). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** One object type from an intersection, so that `Equals` compares members, not how they were written. */
type Flat<T> = { [K in keyof T]: T[K] };
type Assert<T extends true> = T;

/** What the public group's state carries: the provider's state without the picker's own fields. */
type PublicState = Pick<ProviderState, 'status' | 'latencyMs' | 'reason' | 'live' | 'inFlight' | 'liveReason'>;

export type Pinned = [
  Assert<Equals<Api.ProviderKind, ProviderKind>>,
  Assert<Equals<Api.CatalogEntry, CatalogEntry>>,
  Assert<Equals<NonNullable<Api.CatalogEntry['state']>, ModelState>>,
  Assert<Equals<Api.ProviderGroup['state']['status'], ProviderStatus>>,
  Assert<Equals<Flat<Api.ProviderGroup['state']>, Flat<PublicState>>>,
  Assert<Equals<Flat<Api.ProviderGroup>, Flat<Omit<CatalogGroup, 'kind' | 'state'> & { readonly state: PublicState }>>>,
  Assert<Equals<Api.Catalog['favorites'], readonly CatalogEntry[]>>,
  Assert<Equals<Api.Catalog['recent'], CatalogView['recent']>>,
  Assert<Equals<Api.Catalog['recent'], readonly CatalogEntry[]>>,
  Assert<Equals<Api.ResolvedModel, Route>>,
];
