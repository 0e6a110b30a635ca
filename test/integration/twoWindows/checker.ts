import { api, signal, signalled, sleep } from './shared';

const ROUNDS = 60;

/**
 * Window 1: while window 2 refreshes, sets the active model and stars a model each round (and
 * refreshes too), then reads both back a moment later. Reports what did not stick.
 */
export async function run(): Promise<void> {
  const models = await api();
  // Where this window got to, for the runner to report if it never finishes.
  signal('checker-progress', 'extension active');
  const until = Date.now() + 60_000;
  while (!signalled('refresher-ready') && Date.now() < until) await sleep(50);
  // The hosts' lists may not have arrived yet on a loaded machine: wait for them (a refresh each time).
  const listed = (): string[] => models.getCatalog().groups.flatMap((g) => g.models.map((m) => m.id));
  let ids = listed();
  const listedBy = Date.now() + 60_000;
  while (ids.length === 0 && Date.now() < listedBy) {
    await models.refresh();
    ids = listed();
    if (ids.length === 0) await sleep(200);
  }
  const result = { rounds: 0, activeLost: [] as string[], starsLost: [] as string[], ids: ids.length };
  try {
    let refreshing = true;
    const refresh = (async () => {
      while (refreshing) await models.refresh();
    })();
    for (let i = 0; i < ROUNDS; i++) {
      const id = ids[i % ids.length] ?? '';
      await models.setActiveModel(id);
      const starred = await models.toggleFavorite(id);
      await sleep(40); // long enough for both windows' writes and their echoes to come back
      if (models.getActiveModel() !== id) result.activeLost.push(`round ${i}: ${id} -> ${String(models.getActiveModel())}`);
      if (models.getFavorites().includes(id) !== starred) result.starsLost.push(`round ${i}: ${id} ${starred ? 'starred' : 'unstarred'}`);
      result.rounds += 1;
      signal('checker-progress', `round ${result.rounds} of ${ROUNDS} done (${ids.length} models listed)`);
    }
    refreshing = false;
    await refresh;
  } finally {
    signal('checker-done', JSON.stringify(result));
  }
}
