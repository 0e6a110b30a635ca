/**
 * Figure 2: the one grouping function (buildCatalogView) at 500, 5,000 and 50,000 models in 100
 * providers with 10% favorites: median time per call and the growth per 10x. The reference,
 * measured in the same run on the same data, is a plain linear pass that makes one entry object
 * per model (what any grouping must at least do), timed right after each grouping call: the
 * growth of grouping / floor per 10x is about 1 for a linear function, 1.3 for n log n, 10 for
 * quadratic, and a burst of load from elsewhere hits both halves of a pair alike.
 */
import { buildCatalogView, type CatalogInput } from '../../src/core/catalog/catalogView';
import type { ModelInfo } from '../../src/core/catalog/hostModels';
import { identityContext } from '../../src/core/identity/modelIdentity';
import type { ProviderSnapshot } from '../../src/core/catalog/providerState';
import { llamaSwap, registryOf } from '../builders';
import { median } from './stats';

export const GROUPING_SIZES: readonly number[] = [500, 5_000, 50_000];
const PROVIDERS = 100;

export interface GroupingSize {
  readonly models: number;
  readonly favorites: number;
  readonly rounds: number;
  readonly medianMs: number;
  readonly baselineMs: number;
  /** Median over rounds of (grouping / floor) timed back to back in the same round. */
  readonly relativeCost: number;
}

export interface GroupingResult {
  readonly sizes: readonly GroupingSize[];
  /** medianMs[i+1] / medianMs[i]. */
  readonly growth: readonly number[];
  readonly baselineGrowth: readonly number[];
  /** relativeCost[i+1] / relativeCost[i]: 1 when linear, about 10 when quadratic. */
  readonly relativeGrowth: readonly number[];
  /** What n log n predicts for each 10x step: 10 * log(10n) / log(n). */
  readonly nLogNGrowth: readonly number[];
}

function inputFor(total: number): CatalogInput {
  const perProvider = total / PROVIDERS;
  const registry = registryOf(Array.from({ length: PROVIDERS }, (_, g) => llamaSwap(`host-${String(g).padStart(3, '0')}`, `http://127.0.0.1:${10_000 + g}`)));
  const snapshots = new Map<string, ProviderSnapshot>();
  const favorites: string[] = [];
  let n = 0;
  for (const provider of registry.providers) {
    const list: ModelInfo[] = [];
    for (let m = 0; m < perProvider; m++, n++) {
      const family = ['qwen3-coder', 'llama-3.3', 'deepseek-r1', 'gemma-3', 'mistral-small'][n % 5] ?? 'model';
      const id = `${family}-${m}b-q${(m % 8) + 1}`;
      list.push({ id, name: `${family} ${m}B Q${(m % 8) + 1}`, contextWindow: [8192, 32768, 131072][m % 3] ?? 8192, loaded: m % 7 === 0 });
      // 10% favorites, starred in an order unrelated to the catalog's.
      if (n % 10 === 3) favorites.push(`${provider.id}/${id}`);
    }
    snapshots.set(provider.id, { state: { status: 'online', latencyMs: 12 }, models: list });
  }
  favorites.reverse();
  return { registry, snapshots, favorites, activeModel: favorites[0], identity: identityContext(registry, undefined) };
}

/** The floor: one new entry object per model, nothing else. */
function baseline(input: CatalogInput): number {
  let count = 0;
  for (const provider of input.registry.providers) {
    const models = input.snapshots.get(provider.id)?.models ?? [];
    const entries = models.map((model) => ({ id: `${provider.id}/${model.id}`, provider: provider.id, model: model.id, name: model.name ?? model.id, favorite: false, active: false }));
    count += entries.length;
  }
  return count;
}

/**
 * Sizes are measured round-robin (one batch of each size per round, the floor beside it), so a
 * burst of load from elsewhere on the machine hits every size alike. Small sizes run in batches of
 * calls and report the time per call. No forced GC between batches: a full collection (node
 * --expose-gc, gc()) made the next calls about 5x slower here, which measures V8, not the code.
 */
export function benchGrouping(rounds = 30): GroupingResult {
  const inputs = GROUPING_SIZES.map((total) => ({ total, input: inputFor(total), batch: Math.max(1, Math.round(5_000 / total)) }));
  const times = inputs.map(() => ({ grouped: [] as number[], floor: [] as number[], relative: [] as number[] }));
  let sink = 0;
  const timeBatch = (batch: number, run: () => number): number => {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink += run();
    return (performance.now() - t0) / batch;
  };
  for (let round = -2; round < rounds; round++) {
    for (const [i, { input, batch }] of inputs.entries()) {
      const grouped = timeBatch(batch, () => buildCatalogView(input).favorites.length);
      const floor = timeBatch(batch, () => baseline(input));
      // The first two rounds warm the JIT up and are not counted.
      if (round >= 0) {
        times[i]?.grouped.push(grouped);
        times[i]?.floor.push(floor);
        times[i]?.relative.push(grouped / floor);
      }
    }
  }
  if (sink < 0) console.log(sink); // keeps the calls observable
  const sizes: GroupingSize[] = inputs.map(({ total, input }, i) => ({
    models: total,
    favorites: input.favorites.length,
    rounds,
    medianMs: median(times[i]?.grouped ?? []),
    baselineMs: median(times[i]?.floor ?? []),
    relativeCost: median(times[i]?.relative ?? []),
  }));
  const ratios = (pick: (s: GroupingSize) => number) => sizes.slice(1).map((s, i) => pick(s) / pick(sizes[i] ?? s));
  return {
    sizes,
    growth: ratios((s) => s.medianMs),
    baselineGrowth: ratios((s) => s.baselineMs),
    relativeGrowth: ratios((s) => s.relativeCost),
    nLogNGrowth: sizes.slice(1).map((s, i) => {
      const n = sizes[i]?.models ?? 1;
      return (s.models / n) * (Math.log(s.models) / Math.log(n));
    }),
  };
}
