/**
 * A host that lists models called like JavaScript properties (`__proto__`, `constructor`,
 * `toString`, ...). opencode 1.18 fails every prompt when its config holds one named like a
 * property of Object.prototype, so the bridge leaves those out: the config the extension builds
 * is accepted, and the other models (`prototype` among them) work.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { CatalogService } from '../../src/core/catalog/catalogService';
import { buildCatalogView } from '../../src/core/catalog/catalogView';
import { identityContext } from '../../src/core/identity/modelIdentity';
import { buildOpencodeBridge } from '../../src/core/push/opencodeBridge';
import { resolveRoute } from '../../src/core/chat/routing';
import { FetchHttpClient } from '../../src/http/fetchHttpClient';
import { llamaSwap, registryOf } from '../builders';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { MemoryStore } from '../fakes/memoryStore';
import { PROPERTY_NAMES } from '../hostile/names';
import { isolatedHome, runOpencode } from './opencodeProcess';

describe('models named like JavaScript properties, with the real opencode (opencode-ai 1.18)', function () {
  this.timeout(120_000);
  let root: string;
  let host: LlamaSwapDouble;
  let catalog: CatalogService;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-opencode-names-'));
    host = await startLlamaSwapDouble({ label: 'names', models: PROPERTY_NAMES.map((id) => ({ id, contextLength: 8192 })) });
    catalog = new CatalogService({ http: new FetchHttpClient(), clock: { now: () => Date.now() }, cache: new MemoryStore(), credentialFor: async () => undefined, timeoutMs: () => 2000 });
  });

  after(async () => {
    catalog?.dispose();
    await host?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('opencode accepts the config written for them and sends the prompt to the host as "prototype"', async () => {
    // A provider may be called "constructor" too.
    const registry = registryOf([llamaSwap('names', host.url, { contextWindow: { ['__proto__']: 16384 } }), llamaSwap('constructor', host.url)]);
    catalog.setRegistry(registry);
    await catalog.refresh();
    const snapshots = catalog.getSnapshots();
    const identity = identityContext(registry, undefined);
    const view = buildCatalogView({ registry, snapshots, favorites: [], activeModel: undefined, identity });
    // Neither host has a key: every provider gets "none", as the gate decides for keyless hosts.
    const bridge = buildOpencodeBridge({ registry, view, route: (id) => resolveRoute(id, registry, identity, snapshots), model: 'names/prototype', apiKey: () => 'none' });
    const text = JSON.stringify(bridge);
    const written = z.object({ provider: z.record(z.string(), z.object({ models: z.record(z.string(), z.unknown()) })) }).parse(JSON.parse(text));
    assert.deepEqual(Object.keys(written.provider), ['names']);
    assert.deepEqual(Object.keys(written.provider['names']?.models ?? {}), ['prototype']);

    const folder = path.join(root, 'run');
    fs.mkdirSync(folder);
    const home = isolatedHome(path.join(root, 'home'));
    const run = await runOpencode(['run', '--pure', '-m', 'names/prototype', 'which model?'], folder, { ...home.env, OPENCODE_CONFIG_CONTENT: text });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /reply from names model prototype/);
    const models = host.requests
      .filter((r) => r.method === 'POST' && r.pathname === '/v1/chat/completions')
      .map((r) => z.object({ model: z.string() }).parse(JSON.parse(r.body)).model);
    assert.ok(models.length > 0 && models.every((m) => m === 'prototype'), `the host got ${JSON.stringify(models)}`);
  });
});
