/**
 * A star shows what was asked for at once: an override per model until the host's snapshot
 * shows it (or the request fails, which puts the host's state back).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PickerView, CatalogEntry } from '../../src/shared/catalog';
import type { HostClient } from '../hostClient';
import { messageOf, type Feedback } from './useFeedback';
import { t } from '../../src/shared/l10n';

interface StarOverride {
  want: boolean;
  token: number;
  /** The host said yes; the snapshot that shows it is on its way. */
  answered: boolean;
}

const ANSWERED_STAR_MS = 2000;

export interface FavoriteStars {
  /** The favorite state to show: the host's, or the one a pending toggle asked for. */
  favoriteOf(entry: CatalogEntry): boolean;
  toggleStar(entry: CatalogEntry): void;
}

export function useFavoriteStars(client: HostClient, snapshot: PickerView | undefined, feedback: Feedback): FavoriteStars {
  const [stars, setStars] = useState<ReadonlyMap<string, StarOverride>>(() => new Map());
  const starToken = useRef(0);

  const toggleStar = (entry: CatalogEntry) => {
    const token = ++starToken.current;
    const id = entry.id;
    const want = !(stars.get(id)?.want ?? entry.favorite);
    setStars((prev) => {
      const next = new Map(prev);
      next.set(id, { want: !(prev.get(id)?.want ?? entry.favorite), token, answered: false });
      return next;
    });
    feedback.announce(want ? t('Added {0} to Favorites.', entry.name) : t('Removed {0} from Favorites.', entry.name));
    const update = (change: (override: StarOverride, next: Map<string, StarOverride>) => void) =>
      setStars((prev) => {
        const override = prev.get(id);
        if (override?.token !== token) return prev;
        const next = new Map(prev);
        change(override, next);
        return next;
      });
    client.request({ method: 'toggleFavorite', id }).then(
      () => {
        // The host may post the response before the snapshot that shows it: keep showing the
        // wanted state until the next snapshot (or a short while, should none come).
        update((override, next) => next.set(id, { ...override, answered: true }));
        setTimeout(() => update((_, next) => next.delete(id)), ANSWERED_STAR_MS);
      },
      (e: unknown) => {
        update((_, next) => next.delete(id));
        feedback.fail(t('Could not change the favorite {0}: {1}', id, messageOf(e)));
      },
    );
  };

  useEffect(() => {
    setStars((prev) => {
      if (![...prev.values()].some((o) => o.answered)) return prev;
      return new Map([...prev].filter(([, o]) => !o.answered));
    });
  }, [snapshot]);

  return { favoriteOf: (entry) => stars.get(entry.id)?.want ?? entry.favorite, toggleStar };
}
