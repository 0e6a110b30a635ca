import { t } from '../../shared/l10n';
import { MAX_MODEL_ID_LENGTH, MAX_MODELS_PER_PROVIDER } from '../catalog/hostModels';

/** A model's state as llama-swap reports it (`shutdown` is read as `stopped`). */
export { MODEL_STATES, type ModelState } from '../../shared/catalog';
import type { ModelState } from '../../shared/catalog';

/** The most in-flight request ids kept per host (ids only: never headers or addresses). */
export const MAX_INFLIGHT_IDS = 10_000;
const MAX_REQUEST_ID_LENGTH = 200;

export type LiveEvent =
  | { readonly kind: 'skipped' }
  | { readonly kind: 'modelStatus'; readonly models: ReadonlyMap<string, ModelState>; readonly peers: ReadonlySet<string>; readonly ignored: number }
  | { readonly kind: 'inflight'; readonly operation: 'snapshot'; readonly ids: readonly string[] }
  | { readonly kind: 'inflight'; readonly operation: 'upsert' | 'remove'; readonly id: string }
  | { readonly kind: 'activity' }
  | { readonly kind: 'bad'; readonly reason: string };

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The frame types this extension reads; every other type is skipped before any parsing. */
const READ_TYPES = ['modelStatus', 'inflight', 'activity'] as const;

/**
 * llama-swap's encoder writes `{"type":"<T>","data":"..."}` with `type` first. A frame whose prefix
 * names another type (above all `logData`, which carries every log line and the whole history on
 * connect) is skipped without being parsed at all. A frame in another shape is parsed, and then
 * skipped by its type.
 */
function skippedByPrefix(frame: string): boolean {
  if (!frame.startsWith('{"type":"')) return false;
  const start = 9;
  for (const type of READ_TYPES) {
    if (frame.startsWith(type, start) && frame.charAt(start + type.length) === '"') return false;
  }
  return true;
}

function stateOf(value: unknown): ModelState | undefined | 'peer' {
  switch (value) {
    case 'stopped':
    case 'shutdown':
      return 'stopped';
    case 'starting':
    case 'ready':
    case 'stopping':
      return value;
    case '':
      return 'peer';
    default:
      return undefined;
  }
}

function modelStatus(data: unknown): LiveEvent {
  if (!Array.isArray(data)) return { kind: 'bad', reason: t('a modelStatus event is not a list') };
  const models = new Map<string, ModelState>();
  const peers = new Set<string>();
  let ignored = 0;
  for (const item of data) {
    const record = asObject(item);
    const id = record?.['id'];
    if (typeof id !== 'string' || id === '' || id.length > MAX_MODEL_ID_LENGTH || models.size + peers.size >= MAX_MODELS_PER_PROVIDER) {
      ignored += 1;
      continue;
    }
    const peerId = record?.['peerID'];
    const state = typeof peerId === 'string' && peerId !== '' ? 'peer' : stateOf(record?.['state']);
    if (state === undefined) ignored += 1;
    else if (state === 'peer') peers.add(id);
    else models.set(id, state);
  }
  return { kind: 'modelStatus', models, peers, ignored };
}

function requestId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' && value.length <= MAX_REQUEST_ID_LENGTH ? value : undefined;
}

/** Reads only the ids of in-flight requests: their headers and addresses are other clients' business. */
function inflight(data: unknown): LiveEvent {
  const record = asObject(data);
  const operation = record?.['operation'];
  if (operation === 'snapshot') {
    const requests = record?.['requests'];
    if (requests !== null && requests !== undefined && !Array.isArray(requests)) return { kind: 'bad', reason: t('an inflight snapshot is not a list') };
    const ids: string[] = [];
    for (const request of (requests as unknown[] | null | undefined) ?? []) {
      const id = requestId(asObject(request)?.['id']);
      if (id !== undefined && ids.length < MAX_INFLIGHT_IDS) ids.push(id);
    }
    return { kind: 'inflight', operation, ids };
  }
  if (operation === 'upsert') {
    const id = requestId(asObject(record?.['request'])?.['id']);
    return id === undefined ? { kind: 'bad', reason: t('an inflight update has no request id') } : { kind: 'inflight', operation, id };
  }
  if (operation === 'remove') {
    const id = requestId(record?.['id']);
    return id === undefined ? { kind: 'bad', reason: t('an inflight removal has no request id') } : { kind: 'inflight', operation, id };
  }
  return { kind: 'bad', reason: t('an inflight event has an unknown operation') };
}

/**
 * One `/api/events` frame's data: `{"type":"<T>","data":"<JSON in a string>"}`, parsed twice for
 * the types read here. Never throws; never quotes what the host sent (it may echo a key).
 */
export function parseLiveFrame(frame: string): LiveEvent {
  if (skippedByPrefix(frame)) return { kind: 'skipped' };
  let outer: unknown;
  try {
    outer = JSON.parse(frame);
  } catch {
    return { kind: 'bad', reason: t('an event is not JSON') };
  }
  const envelope = asObject(outer);
  const type = envelope?.['type'];
  if (typeof type !== 'string') return { kind: 'bad', reason: t('an event has no type') };
  if (!(READ_TYPES as readonly string[]).includes(type)) return { kind: 'skipped' };
  if (type === 'activity') return { kind: 'activity' };
  const inner = envelope?.['data'];
  if (typeof inner !== 'string') return { kind: 'bad', reason: t("a {0} event's data is not a string", type) };
  let data: unknown;
  try {
    data = JSON.parse(inner);
  } catch {
    return { kind: 'bad', reason: t("a {0} event's data is not JSON", type) };
  }
  return type === 'modelStatus' ? modelStatus(data) : inflight(data);
}

/** `/running` (older hosts, and the fallback): every model not listed there is stopped. */
export function parseRunning(body: unknown): { ok: true; models: ReadonlyMap<string, ModelState> } | { ok: false; reason: string } {
  const running = asObject(body)?.['running'];
  if (!Array.isArray(running)) return { ok: false, reason: t('/running is not a list of processes') };
  const models = new Map<string, ModelState>();
  for (const item of running) {
    const record = asObject(item);
    const id = record?.['model'];
    const state = stateOf(record?.['state']);
    if (typeof id !== 'string' || id === '' || id.length > MAX_MODEL_ID_LENGTH || state === undefined || state === 'peer') continue;
    if (models.size >= MAX_MODELS_PER_PROVIDER) break;
    models.set(id, state);
  }
  return { ok: true, models };
}
