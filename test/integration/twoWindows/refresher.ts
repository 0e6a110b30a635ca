import { api, signal, signalled, sleep } from './shared';

/** Window 2: refreshes every provider as fast as it can until window 1 is done. */
export async function run(): Promise<void> {
  const models = await api();
  let refreshes = 0;
  signal('refresher-ready');
  const until = Date.now() + 150_000;
  while (!signalled('checker-done') && Date.now() < until) {
    await models.refresh();
    refreshes += 1;
    await sleep(5);
  }
  signal('refresher-done', JSON.stringify({ refreshes, favorites: models.getFavorites() }));
}
