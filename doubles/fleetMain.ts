/**
 * Runs the demo fleet until SIGINT/SIGTERM.
 *
 *   node out/doubles/fleetMain.js [--sam-desktop-port N] [--sidecar-port N]
 *     [--embedding-port N] [--deepseek-port N] [--server-port N] [--data-file PATH] [--token T]
 *
 * Each flag also reads from the environment: BOOCODE_FLEET_SAM_DESKTOP_PORT,
 * BOOCODE_FLEET_SIDECAR_PORT, BOOCODE_FLEET_EMBEDDING_PORT, BOOCODE_FLEET_DEEPSEEK_PORT,
 * BOOCODE_FLEET_SERVER_PORT, BOOCODE_FLEET_DATA_FILE, BOOCODE_FLEET_TOKEN (flags win). Ports
 * default to 18401 (sam-desktop), 18402 (embedding), 18403 (sidecar), 18404 (DeepSeek),
 * 18405 (BooCode server); 0 picks a free port. Prints one JSON line with the URLs once listening.
 */
import { startDemoFleet, type DemoFleet, type DemoFleetOptions } from './fleet';

export interface FleetMainConfig {
  readonly options: DemoFleetOptions;
}

const PORT_FLAGS = {
  samDesktop: { flag: 'sam-desktop-port', env: 'BOOCODE_FLEET_SAM_DESKTOP_PORT', fallback: 18401 },
  embedding: { flag: 'embedding-port', env: 'BOOCODE_FLEET_EMBEDDING_PORT', fallback: 18402 },
  samDesktopSidecar: { flag: 'sidecar-port', env: 'BOOCODE_FLEET_SIDECAR_PORT', fallback: 18403 },
  deepseek: { flag: 'deepseek-port', env: 'BOOCODE_FLEET_DEEPSEEK_PORT', fallback: 18404 },
  booCode: { flag: 'server-port', env: 'BOOCODE_FLEET_SERVER_PORT', fallback: 18405 },
} as const;

type PortName = keyof typeof PORT_FLAGS;

/** Reads flags (`--name value` or `--name=value`) and environment variables into fleet options. */
export function parseFleetArgs(argv: readonly string[], env: NodeJS.ProcessEnv): FleetMainConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument: ${arg}`);
    }
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else {
      const value = argv[i + 1];
      if (value === undefined) {
        throw new Error(`missing value for ${arg}`);
      }
      flags.set(arg.slice(2), value);
      i += 1;
    }
  }
  const known = new Set<string>([...Object.values(PORT_FLAGS).map((entry) => entry.flag), 'data-file', 'token']);
  for (const name of flags.keys()) {
    if (!known.has(name)) {
      throw new Error(`unknown flag: --${name}`);
    }
  }
  const ports: Partial<Record<PortName, number>> = {};
  for (const [name, spec] of Object.entries(PORT_FLAGS) as [PortName, (typeof PORT_FLAGS)[PortName]][]) {
    const raw = flags.get(spec.flag) ?? env[spec.env];
    ports[name] = raw === undefined || raw === '' ? spec.fallback : parsePort(raw, spec.flag);
  }
  const dataFile = flags.get('data-file') ?? env['BOOCODE_FLEET_DATA_FILE'];
  const token = flags.get('token') ?? env['BOOCODE_FLEET_TOKEN'];
  return {
    options: {
      ports,
      ...(dataFile !== undefined && dataFile !== '' ? { dataFile } : {}),
      ...(token !== undefined && token !== '' ? { booCodeToken: token } : {}),
    },
  };
}

function parsePort(raw: string, flag: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--${flag}: not a port: ${raw}`);
  }
  return port;
}

/** Starts the fleet, prints its URLs as one JSON line, and stops it on SIGINT/SIGTERM. */
export async function runFleetMain(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<DemoFleet> {
  const config = parseFleetArgs(argv, env);
  const fleet = await startDemoFleet(config.options);
  process.stdout.write(
    `${JSON.stringify({ ...fleet.urls, deepseekApiKey: fleet.deepseekApiKey, dataFile: fleet.dataFile })}\n`,
  );
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    fleet.stop().then(
      () => {
        process.stderr.write(`fleet stopped (${signal})\n`);
        process.exitCode = 0;
      },
      (err: unknown) => {
        process.stderr.write(`fleet stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  return fleet;
}

if (require.main === module) {
  runFleetMain(process.argv.slice(2), process.env).catch((err: unknown) => {
    process.stderr.write(`fleet failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
