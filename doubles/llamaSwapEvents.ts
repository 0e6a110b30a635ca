/**
 * llama-swap's live API for the double, as llama-swap's `internal/server/apigroup.go`
 * (handleAPIEvents) sends it: `GET /api/events` writes
 * `event:message\ndata:{"type":"<T>","data":"<JSON in a string>"}\n\n` per message; on connect the
 * proxy and upstream log history, then `modelStatus`, `uiConfig`, `profileChanged` and an `inflight`
 * snapshot; afterwards every change. Each client has a 1,024-message buffer: a message that finds it
 * full is dropped (the real server logs "handleAPIEvents sendBuffer full, dropped message").
 * No keep-alive: an idle host sends nothing.
 */
import type * as http from 'node:http';
import { sleepTracked, type DoubleServerCore } from './doubleServer';

/** Faults of the event stream (the hostile `live` family). */
export type LlamaSwapEventsFault =
  | 'none'
  /** Garbage lines and a truncated frame before every real frame (the real frames still arrive). */
  | 'garbage'
  /** `modelStatus` frames whose inner `data` string is not JSON. */
  | 'data-not-json'
  /** `modelStatus` lists 500 models nobody configured besides the real ones. */
  | 'unknown-models'
  /** The first frame starts and never ends: bytes without a line end, 16 KiB every 5 ms (bounded). */
  | 'endless-first-frame'
  /** 200 with an HTML page (a proxy's login page) instead of an event stream. */
  | 'html'
  /** The connect payload, then half a frame, then silence on this connection (changes are not sent). */
  | 'stall'
  /** The connect payload, then silence between frames: changes are lost (a proxy that buffers, a half-open link). */
  | 'silent';

export const SEND_BUFFER_MESSAGES = 1024;
/** llama-swap's log ring buffer (`logmon.BufferSize`). */
export const LOG_HISTORY_BYTES = 100 * 1024;
const ENDLESS_LIMIT_BYTES = 64 * 1024 * 1024;

interface Client {
  readonly res: http.ServerResponse;
  readonly queue: string[];
  writing: boolean;
  /** A stalled connection is sent nothing more. */
  stalled: boolean;
}

export interface EventsHub {
  /** Serves one `GET /api/events`. */
  serve(res: http.ServerResponse, initial: () => readonly (readonly [string, unknown])[]): void;
  /** Queues one message for every client. */
  broadcast(type: string, data: unknown): void;
  log(source: 'proxy' | 'upstream', line: string): void;
  readonly clients: number;
  /** Messages dropped because a client's buffer was full. */
  readonly dropped: number;
  /** Bytes written to event clients (frames only). */
  readonly bytesSent: number;
  fault: LlamaSwapEventsFault;
  /** Sends `count` messages at `perSecond` (log lines, with in-flight and state changes mixed in). */
  flood(count: number, perSecond: number, extra: (i: number) => readonly [string, unknown] | undefined): Promise<void>;
  /** Ends every event stream (the host restarted its server, say). */
  disconnectAll(): void;
}

function frameOf(type: string, data: unknown): string {
  return `event:message\ndata:${JSON.stringify({ type, data: JSON.stringify(data) })}\n\n`;
}

export function createEventsHub(core: Pick<DoubleServerCore, 'track'>): EventsHub {
  const clients = new Set<Client>();
  const history = { proxy: '', upstream: '' };
  let dropped = 0;
  let bytesSent = 0;

  const pump = (client: Client): void => {
    if (client.writing) return;
    client.writing = true;
    const next = (): void => {
      while (client.queue.length > 0) {
        if (client.res.destroyed || client.res.writableEnded) {
          client.queue.length = 0;
          break;
        }
        const frame = client.queue.shift() ?? '';
        bytesSent += Buffer.byteLength(frame);
        if (!client.res.write(frame)) {
          client.res.once('drain', next);
          return;
        }
      }
      client.writing = false;
    };
    next();
  };

  const send = (client: Client, frame: string): void => {
    if (client.stalled) return;
    if (client.queue.length >= SEND_BUFFER_MESSAGES) {
      dropped += 1;
      appendHistory('proxy', 'handleAPIEvents sendBuffer full, dropped message\n');
      return;
    }
    client.queue.push(frame);
    pump(client);
  };

  const appendHistory = (source: 'proxy' | 'upstream', text: string): void => {
    const next = history[source] + text;
    history[source] = next.length > LOG_HISTORY_BYTES ? next.slice(next.length - LOG_HISTORY_BYTES) : next;
  };

  const broadcastTo = (client: Client, type: string, data: unknown): void => {
    const fault = hub.fault;
    if (fault === 'garbage') {
      send(client, 'data:{"type":"modelStatus","data":"[{\\"id\\":\n\n');
      send(client, '\u0000\u0001garbage without a field\n\n');
      send(client, 'data:}}}{{{\n\n');
    }
    if (fault === 'data-not-json' && type === 'modelStatus') {
      send(client, `event:message\ndata:${JSON.stringify({ type, data: 'not json: [{id:' })}\n\n`);
      return;
    }
    if (fault === 'unknown-models' && type === 'modelStatus' && Array.isArray(data)) {
      const unknown = Array.from({ length: 500 }, (_, i) => ({ id: `ghost-${i}`, name: '', description: '', state: i % 2 === 0 ? 'ready' : 'starting', unlisted: false, peerID: '' }));
      send(client, frameOf(type, [...(data as unknown[]), ...unknown]));
      return;
    }
    send(client, frameOf(type, data));
  };

  const hub: EventsHub = {
    fault: 'none',
    get clients() {
      return clients.size;
    },
    get dropped() {
      return dropped;
    },
    get bytesSent() {
      return bytesSent;
    },
    serve(res, initial) {
      const fault = hub.fault;
      if (fault === 'html') {
        const page = '<!doctype html><html><head><title>Sign in</title></head><body><form>Sign in to continue</form></body></html>';
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(page)) });
        res.end(page);
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      const client: Client = { res, queue: [], writing: false, stalled: false };
      if (fault === 'endless-first-frame') {
        void (async () => {
          res.write('event:message\ndata:{"type":"logData","data":"');
          const chunk = 'x'.repeat(16 * 1024);
          for (let sent = 0; sent < ENDLESS_LIMIT_BYTES && !res.destroyed; sent += chunk.length) {
            res.write(chunk);
            if (!(await sleepTracked(core, 5))) return;
          }
        })();
        return;
      }
      clients.add(client);
      const untrack = core.track(() => res.destroy());
      res.on('close', () => {
        clients.delete(client);
        untrack();
      });
      send(client, frameOf('logData', { source: 'proxy', data: history.proxy }));
      send(client, frameOf('logData', { source: 'upstream', data: history.upstream }));
      for (const [type, data] of initial()) broadcastTo(client, type, data);
      if (fault === 'stall') {
        client.queue.push('event:message\ndata:{"type":"modelStatus","da');
        pump(client);
        client.stalled = true;
      }
      if (fault === 'silent') client.stalled = true;
    },
    broadcast(type, data) {
      for (const client of clients) broadcastTo(client, type, data);
    },
    log(source, line) {
      const text = line.endsWith('\n') ? line : `${line}\n`;
      appendHistory(source, text);
      hub.broadcast('logData', { source, data: text });
    },
    async flood(count, perSecond, extra) {
      const perTick = Math.max(1, Math.round(perSecond / 100));
      for (let i = 0; i < count; ) {
        for (let j = 0; j < perTick && i < count; j += 1, i += 1) {
          const special = extra(i);
          if (special) hub.broadcast(special[0], special[1]);
          else hub.broadcast('logData', { source: 'upstream', data: `slot 0: token ${i} generated, n_past = ${i}\n` });
        }
        if (!(await sleepTracked(core, 10))) return;
      }
    },
    disconnectAll() {
      for (const client of [...clients]) client.res.destroy();
    },
  };

  return hub;
}
