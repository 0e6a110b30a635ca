/**
 * Where the view starts from before the host says anything: the snapshot the host put into the
 * page when it made it (`#boot`): the whole catalog when it is small, otherwise its first screen
 * (src/core/picker/firstScreen.ts) under a revision the host does not have. The rows are drawn
 * before `ready` is sent, and the host answers `ready` with the whole snapshot or with `current`.
 */
import * as z from 'zod/mini';
import { snapshotSchema, type Snapshot } from '../src/shared/catalog';
import { readPageData, type PageWithData } from './pageData';

/** A snapshot in wire form with its revision, as the view holds it. */
export interface CachedSnapshot {
  readonly revision: string;
  readonly snapshot: Snapshot;
}

export const BOOT_ELEMENT_ID = 'boot';

const bootSchema = z.object({ revision: z.string().check(z.maxLength(64)), snapshot: snapshotSchema });

/** The snapshot embedded in the page, checked like any message. */
export function readBootSnapshot(doc: PageWithData): CachedSnapshot | undefined {
  return readPageData(doc, BOOT_ELEMENT_ID, bootSchema, 'waiting for the host');
}
