/**
 * The demo's "other client": what another user or agent on the same GPU hosts would do, so that
 * `npm start` shows the live state without anyone typing. Every `everyMs` it takes the next step:
 * a chat to a stopped model on sam-desktop (a swap: the running model stops, the new one loads),
 * a chat that loads a model on the embedding box, that model unloaded again, and a chat that swaps
 * sam-desktop back. Plain HTTP to the hosts, as any client would send it.
 */

export interface DemoTrafficOptions {
  readonly samDesktop: string;
  readonly embedding: string;
  /** Between steps; default 20 s. */
  readonly everyMs?: number;
  /** Before the first step; default 5 s (the window has opened by then). */
  readonly firstMs?: number;
}

export interface DemoTraffic {
  /** Steps taken so far (for tests). */
  readonly steps: number;
  stop(): Promise<void>;
}

type Step = { readonly host: 'samDesktop' | 'embedding'; readonly chat: string } | { readonly host: 'samDesktop' | 'embedding'; readonly unload: string };

/** The loop, in order; it starts again after the last step. */
export const DEMO_TRAFFIC_STEPS: readonly Step[] = [
  { host: 'samDesktop', chat: 'Qwen/Qwen3-8B' },
  { host: 'embedding', chat: 'gemma3-12b' },
  { host: 'embedding', unload: 'gemma3-12b' },
  { host: 'samDesktop', chat: 'qwen3-coder-30b' },
];

export function startDemoTraffic(options: DemoTrafficOptions): DemoTraffic {
  const everyMs = options.everyMs ?? 20_000;
  const abort = new AbortController();
  const pending = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let steps = 0;
  let stopped = false;

  const send = (step: Step): Promise<unknown> => {
    const base = options[step.host];
    const request =
      'chat' in step
        ? fetch(`${base}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ model: step.chat, messages: [{ role: 'user', content: 'Summarise the build log.' }] }),
            signal: abort.signal,
          })
        : fetch(`${base}/api/models/unload/${encodeURIComponent(step.unload)}`, { method: 'POST', signal: abort.signal });
    // A demo client: a failed step (the host stopped) is simply skipped.
    return request.then((res) => res.arrayBuffer()).catch(() => undefined);
  };

  const next = (delay: number): void => {
    timer = setTimeout(() => {
      if (stopped) return;
      const step = DEMO_TRAFFIC_STEPS[steps % DEMO_TRAFFIC_STEPS.length];
      steps += 1;
      if (step !== undefined) {
        const sent = send(step).finally(() => pending.delete(sent));
        pending.add(sent);
      }
      next(everyMs);
    }, delay);
    timer.unref();
  };
  next(options.firstMs ?? 5000);

  return {
    get steps() {
      return steps;
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      await Promise.all([...pending]);
    },
  };
}
