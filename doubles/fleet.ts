/**
 * The demo fleet: two llama-swap hosts that share model names (`qwen3`, `gemma3-12b`), a sidecar in
 * front of `sam-desktop`, DeepSeek's API and the BooCode server, all on 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBooCodeServerDouble, type BooCodeServerDouble, type BooCoderSession } from './booCodeServerDouble';
import { startDeepSeekDouble, type DeepSeekDouble } from './deepseekDouble';
import { startLlamaSwapDouble, type LlamaSwapDouble, type LlamaSwapModelSpec } from './llamaSwapDouble';
import { startSidecarDouble, type SidecarDouble } from './sidecarDouble';
import { startDemoTraffic, type DemoTrafficOptions } from './demoTraffic';

/** The demo DeepSeek key (not a real key). */
export const DEMO_DEEPSEEK_API_KEY = 'sk-demo-boocode-fleet-0000000000000001';

export const SAM_DESKTOP_MODELS: readonly LlamaSwapModelSpec[] = [
  {
    id: 'qwen3-coder-30b',
    name: 'Qwen3 Coder 30B',
    description: 'Qwen3 Coder 30B A3B, Q4_K_M',
    contextLength: 65536,
    status: 'loaded',
    capabilities: { function_calling: true },
  },
  {
    id: 'Qwen/Qwen3-8B',
    name: 'Qwen3 8B',
    description: 'Qwen3 8B with vision projector',
    contextLength: 32768,
    aliases: ['qwen'],
    capabilities: { vision: true, function_calling: true },
  },
  { id: 'llama-3', peerID: 'box2' },
  { id: 'qwen3', name: 'qwen3', contextLength: 40960 },
  { id: 'gemma3-12b', name: 'Gemma 3 12B', contextLength: 131072, capabilities: { vision: true } },
  { id: 'qwen3-0.6b-draft', description: 'draft model for speculative decoding', unlisted: true },
];

export const EMBEDDING_MODELS: readonly LlamaSwapModelSpec[] = [
  { id: 'qwen3', contextLength: 40960, status: 'loaded' },
  { id: 'gemma3-12b', name: 'Gemma 3 12B (embedding box)', contextLength: 8192 },
  { id: 'deepseek-r1-qwen3-8b', name: 'DeepSeek R1 Qwen3 8B' },
  { id: 'nomic-embed-text', name: 'Nomic Embed Text', description: 'text embeddings', contextLength: 8192 },
];

export const DEMO_BOOCODER_SESSIONS: readonly BooCoderSession[] = [
  {
    id: 'sess-registry',
    title: 'Refactor the registry loader',
    model: 'sam-desktop/qwen3-coder-30b',
    updatedAt: '2026-08-21T09:12:00.000Z',
  },
  {
    id: 'sess-favorites',
    title: 'Favorites sync tests',
    model: 'embedding/qwen3',
    updatedAt: '2026-08-22T14:30:00.000Z',
  },
];

export interface DemoFleetPorts {
  readonly samDesktop?: number;
  readonly samDesktopSidecar?: number;
  readonly embedding?: number;
  readonly deepseek?: number;
  readonly booCode?: number;
}

export interface DemoFleetOptions {
  /** Fixed ports; each defaults to 0 (a free port). */
  readonly ports?: DemoFleetPorts;
  /** The BooCode server's data file; default: a new temporary folder, removed by `stop()`. */
  readonly dataFile?: string;
  /** Bearer token the BooCode server requires (none by default). */
  readonly booCodeToken?: string;
  readonly deepseekApiKey?: string;
  /**
   * Hosts that behave like real GPU boxes, for `npm start`: a chat to a stopped model loads it
   * (sam-desktop 8 s, swapping out what runs; embedding 3 s), so the live state shows it starting.
   */
  readonly live?: boolean;
  /**
   * With `live`: a demo "other client" that loads and unloads models by itself (see demoTraffic.ts),
   * so the live state changes on screen; `false` (screenshots, tests) keeps the fleet still.
   */
  readonly traffic?: boolean | Pick<DemoTrafficOptions, 'everyMs' | 'firstMs'>;
}

/**
 * Load and stop times of the live demo hosts, and their measured speeds (tokens/s p50): the twins
 * `qwen3` and `gemma3-12b` run at different speeds on the two hosts, so speed tells them apart.
 */
export const DEMO_LIVE = {
  samDesktop: { startMs: 8000, stopMs: 1000, swap: true, speeds: { 'qwen3-coder-30b': 48.2, 'Qwen/Qwen3-8B': 71.5, qwen3: 96.3, 'gemma3-12b': 38.4 } },
  embedding: { startMs: 3000, stopMs: 500, speeds: { qwen3: 41.7, 'gemma3-12b': 17.9, 'deepseek-r1-qwen3-8b': 33.1 } },
} as const;

export interface DemoFleetUrls {
  readonly samDesktop: string;
  readonly samDesktopSidecar: string;
  readonly embedding: string;
  readonly deepseek: string;
  readonly booCode: string;
}

export interface DemoFleet {
  readonly samDesktop: LlamaSwapDouble;
  readonly samDesktopSidecar: SidecarDouble;
  readonly embedding: LlamaSwapDouble;
  readonly deepseek: DeepSeekDouble;
  readonly booCode: BooCodeServerDouble;
  readonly urls: DemoFleetUrls;
  readonly deepseekApiKey: string;
  readonly dataFile: string;
  stop(): Promise<void>;
}

function portOption(port: number | undefined): { port?: number } {
  return port !== undefined ? { port } : {};
}

/** Starts the demo fleet; if any part fails to start, the parts already started are stopped. */
export async function startDemoFleet(options: DemoFleetOptions = {}): Promise<DemoFleet> {
  const ports = options.ports ?? {};
  const deepseekApiKey = options.deepseekApiKey ?? DEMO_DEEPSEEK_API_KEY;
  let tempDir: string | undefined;
  let dataFile = options.dataFile;
  if (dataFile === undefined) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-fleet-'));
    dataFile = path.join(tempDir, 'boocode-server.json');
  }
  const seedSessions = !fs.existsSync(dataFile);
  const started: { stop(): Promise<void> }[] = [];
  const removeTemp = (): void => {
    if (tempDir !== undefined) {
      fs.rmSync(tempDir, { recursive: true, force: true });
    }
  };
  try {
    const samDesktop = await startLlamaSwapDouble({
      label: 'sam-desktop',
      models: SAM_DESKTOP_MODELS,
      ...(options.live === true ? DEMO_LIVE.samDesktop : {}),
      ...portOption(ports.samDesktop),
    });
    started.push(samDesktop);
    const samDesktopSidecar = await startSidecarDouble({ upstream: samDesktop.url, ...portOption(ports.samDesktopSidecar) });
    started.push(samDesktopSidecar);
    const embedding = await startLlamaSwapDouble({
      label: 'embedding',
      models: EMBEDDING_MODELS,
      ...(options.live === true ? DEMO_LIVE.embedding : {}),
      ...portOption(ports.embedding),
    });
    started.push(embedding);
    const deepseek = await startDeepSeekDouble({ apiKey: deepseekApiKey, ...portOption(ports.deepseek) });
    started.push(deepseek);
    const booCode = await startBooCodeServerDouble({
      dataFile,
      ...(options.booCodeToken !== undefined ? { token: options.booCodeToken } : {}),
      ...(seedSessions ? { sessions: DEMO_BOOCODER_SESSIONS } : {}),
      ...portOption(ports.booCode),
    });
    started.push(booCode);
    const traffic =
      options.live === true && options.traffic !== undefined && options.traffic !== false
        ? startDemoTraffic({ samDesktop: samDesktop.url, embedding: embedding.url, ...(options.traffic === true ? {} : options.traffic) })
        : undefined;
    const resolvedDataFile = dataFile;
    return {
      samDesktop,
      samDesktopSidecar,
      embedding,
      deepseek,
      booCode,
      deepseekApiKey,
      dataFile: resolvedDataFile,
      urls: {
        samDesktop: samDesktop.url,
        samDesktopSidecar: samDesktopSidecar.url,
        embedding: embedding.url,
        deepseek: deepseek.url,
        booCode: booCode.url,
      },
      async stop(): Promise<void> {
        // The demo client first, so none of its requests is cut by a host going away.
        await traffic?.stop();
        await Promise.all(started.map((part) => part.stop()));
        removeTemp();
      },
    };
  } catch (err: unknown) {
    await Promise.all(started.map((part) => part.stop()));
    removeTemp();
    throw err;
  }
}
