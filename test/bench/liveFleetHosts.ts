/**
 * The hosts of the live-fleet benchmark, in a process of their own so that the benchmark's CPU
 * figure is the engine's alone. Started by liveFleet.ts with `fork`; talks over IPC:
 *   -> { urls: string[] } once listening
 *   <- { cmd: 'state', host: number, model: string, state } (answered { ok: true })
 *   <- { cmd: 'busy', on: boolean }
 * Busy, each host does what a host serving one agent does: a log line every 200 ms, a request every
 * 2 s (in-flight upsert, remove, activity), and a model swap every 20 s.
 */
import { startLlamaSwapDouble, type LlamaSwapDouble, type LlamaSwapProcessState } from '../../doubles/llamaSwapDouble';

const HOSTS = Number(process.env['BOOCODE_BENCH_LIVE_HOSTS'] ?? '10');

async function main(): Promise<void> {
  const doubles: LlamaSwapDouble[] = [];
  for (let i = 0; i < HOSTS; i++) {
    doubles.push(await startLlamaSwapDouble({ label: `host-${i}`, models: [{ id: 'coder-30b', status: 'loaded' }, { id: 'chat-8b' }, { id: 'embed' }] }));
  }
  let timers: NodeJS.Timeout[] = [];
  let tick = 0;
  process.on('message', (message: { cmd: string; host?: number; model?: string; state?: LlamaSwapProcessState; on?: boolean }) => {
    if (message.cmd === 'state') {
      doubles[message.host ?? 0]?.setState(message.model ?? '', message.state ?? 'stopped');
      process.send?.({ ok: true });
    } else if (message.cmd === 'busy') {
      for (const timer of timers) clearInterval(timer);
      timers = [];
      if (message.on === true) {
        timers.push(
          setInterval(() => {
            tick += 1;
            for (const d of doubles) {
              d.events.log('upstream', `slot update_slots: id 0 | task ${tick} | n_past = ${tick * 64}, n_decoded = ${tick * 8}`);
              if (tick % 10 === 0) {
                const id = d.startInflight('coder-30b', { 'User-Agent': 'agent' });
                setTimeout(() => {
                  d.endInflight(id);
                  d.events.broadcast('activity', { id: tick });
                }, 150);
              }
              if (tick % 100 === 0) {
                const swapIn = d.stateOf('chat-8b') === 'ready' ? 'coder-30b' : 'chat-8b';
                const swapOut = swapIn === 'chat-8b' ? 'coder-30b' : 'chat-8b';
                d.setState(swapOut, 'stopping');
                d.setState(swapOut, 'stopped');
                d.setState(swapIn, 'starting');
                setTimeout(() => d.setState(swapIn, 'ready'), 500);
              }
            }
          }, 200),
        );
      }
    } else if (message.cmd === 'stop') {
      for (const timer of timers) clearInterval(timer);
      void Promise.all(doubles.map((d) => d.stop())).then(() => process.exit(0));
    }
  });
  process.send?.({ urls: doubles.map((d) => d.url) });
}

void main();
