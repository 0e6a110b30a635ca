import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { BooCodeModelsApi } from '../../boocode-models';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'boocode.boocode-models';
const outcomeSchema = z.object({ ok: z.boolean(), model: z.optional(z.string()), sessionId: z.optional(z.string()), port: z.optional(z.number()), message: z.optional(z.string()) });

async function run(command: string, arg: unknown): Promise<z.infer<typeof outcomeSchema>> {
  return outcomeSchema.parse(await vscode.commands.executeCommand(command, arg));
}


describe('session push commands in a real VS Code extension host', () => {
  let sam: LlamaSwapDouble;
  let emb: LlamaSwapDouble;
  let server: BooCodeServerDouble;
  let dir: string;
  let api: BooCodeModelsApi;
  const config = () => vscode.workspace.getConfiguration('boocode');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-push-'));
    sam = await startLlamaSwapDouble({ label: 'sam', models: [{ id: 'qwen3' }, { id: 'Qwen/Qwen3-8B', contextLength: 32768 }] });
    emb = await startLlamaSwapDouble({ label: 'emb', models: [{ id: 'qwen3', contextLength: 40960 }] });
    server = await startBooCodeServerDouble({
      dataFile: path.join(dir, 'server.json'),
      sessions: [
        { id: 's1', title: 'Refactor the registry loader', model: 'embedding/qwen3', updatedAt: '2026-08-21T09:12:00.000Z' },
        { id: 's2', title: 'Favorites sync tests', model: 'embedding/qwen3', updatedAt: '2026-08-22T14:30:00.000Z' },
      ],
    });
    await config().update('requestTimeoutMs', 1500, vscode.ConfigurationTarget.Global);
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update(
      'providers',
      [
        { id: 'sam-desktop', kind: 'llama-swap', baseUrl: sam.url, default: true },
        { id: 'embedding', kind: 'llama-swap', baseUrl: emb.url },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await waitFor('the registry of this suite', () => api.getCatalog().groups.map((g) => g.provider).join() === 'sam-desktop,embedding');
    await api.refresh();
    assert.deepEqual(api.getCatalog().groups.map((g) => g.models.length), [2, 1]);
  });

  after(async () => {
    for (const key of ['providers', 'serverUrl', 'opencodeUrl', 'requestTimeoutMs']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([sam.stop(), emb.stop(), server.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers the three session-push commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['boocode.pushToOpencode', 'boocode.openOpencode', 'boocode.pushToBooCoder']) assert.ok(all.has(id), `${id} is registered`);
  });

  it('switches a BooCoder session, always with the composite id (a legacy bare id is resolved first)', async () => {
    assert.deepEqual(await run('boocode.pushToBooCoder', { id: 'qwen3', sessionId: 's1' }), { ok: true, model: 'sam-desktop/qwen3', sessionId: 's1' });
    assert.deepEqual(await run('boocode.pushToBooCoder', { id: 'sam-desktop/Qwen/Qwen3-8B', sessionId: 's2' }), { ok: true, model: 'sam-desktop/Qwen/Qwen3-8B', sessionId: 's2' });
    assert.deepEqual(server.sessions().map((s) => [s.id, s.model]), [['s1', 'sam-desktop/qwen3'], ['s2', 'sam-desktop/Qwen/Qwen3-8B']]);
    const bodies = server.requests.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.body]);
    assert.deepEqual(bodies, [
      ['/api/coder/sessions/s1', '{"model":"sam-desktop/qwen3"}'],
      ['/api/coder/sessions/s2', '{"model":"sam-desktop/Qwen/Qwen3-8B"}'],
    ]);
  });

  it('says what happened and what to do: unknown session, rejected model, server down', async () => {
    const gone = await run('boocode.pushToBooCoder', { id: 'embedding/qwen3', sessionId: 'gone' });
    assert.deepEqual(gone, { ok: false, message: 'BooCoder session "gone" no longer exists. List the sessions again.' });
    const rejected = await run('boocode.pushToBooCoder', { id: 'embedding/ qwen3', sessionId: 's1' });
    assert.equal(rejected.message, 'The BooCode server rejected model "embedding/ qwen3": invalid model: expected a string "<provider>/<model>".');
    await server.stop();
    try {
      const down = await run('boocode.pushToBooCoder', { id: 'embedding/qwen3', sessionId: 's1' });
      assert.match(down.message ?? '', /the BooCode server is not reachable at http:\/\/127\.0\.0\.1:\d+ .*Start it, or change the setting boocode\.serverUrl\./);
    } finally {
      await server.restart();
    }
    assert.equal(server.sessions().find((s) => s.id === 's1')?.model, 'sam-desktop/qwen3', 'unchanged by the failures');
  });

  it('says which secret to set when the BooCode server refuses the token (401)', async () => {
    const guarded = await startBooCodeServerDouble({ dataFile: path.join(dir, 'guarded.json'), token: 'not-the-one-stored', sessions: [] });
    try {
      await config().update('serverUrl', guarded.url, vscode.ConfigurationTarget.Global);
      const refused = await run('boocode.pushToBooCoder', { id: 'embedding/qwen3', sessionId: 's1' });
      assert.equal(refused.message, 'Switching the BooCoder session: the BooCode server refused the token (HTTP 401). Run "BooCode: Set Server Token".');
    } finally {
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
      await guarded.stop();
    }
  });

  it('pushToOpencode needs boocode.opencodeUrl, and says when nothing listens there', async () => {
    const unset = await run('boocode.pushToOpencode', { id: 'embedding/qwen3', sessionId: 'ses_x' });
    assert.match(unset.message ?? '', /^No opencode server is set\. Set boocode\.opencodeUrl/);
    const closed = await startLlamaSwapDouble({ models: [] });
    const url = closed.url;
    await closed.stop();
    await config().update('opencodeUrl', url, vscode.ConfigurationTarget.Global);
    const down = await run('boocode.pushToOpencode', { id: 'embedding/qwen3', sessionId: 'ses_x' });
    assert.equal(down.ok, false);
    assert.ok((down.message ?? '').includes(`opencode is not reachable at ${url}`), down.message);
    assert.match(down.message ?? '', /Start it with "opencode serve --port <port>", or change the setting boocode\.opencodeUrl\./);
  });

  it('a URL setting with user:password@ is named and not used: nothing is contacted, the password is in no message', async () => {
    const before = { opencode: config().inspect('opencodeUrl')?.globalValue, server: config().inspect('serverUrl')?.globalValue };
    const listening = await startLlamaSwapDouble({ models: [] });
    try {
      const withPassword = listening.url.replace('://', '://opencode:hunter2@');
      await config().update('opencodeUrl', withPassword, vscode.ConfigurationTarget.Global);
      const opencode = await run('boocode.pushToOpencode', { id: 'embedding/qwen3', sessionId: 'ses_x' });
      assert.equal(opencode.message, 'Setting "boocode.opencodeUrl" must be an absolute http:// or https:// URL without user:password@; it is not used until that is fixed.');
      await config().update('serverUrl', withPassword, vscode.ConfigurationTarget.Global);
      const booCoder = await run('boocode.pushToBooCoder', { id: 'embedding/qwen3', sessionId: 's1' });
      assert.match(booCoder.message ?? '', /^Setting "boocode\.serverUrl" must be an absolute http:\/\/ or https:\/\/ URL without user:password@/);
      assert.deepEqual(listening.requests, [], 'nothing was sent there');
    } finally {
      await config().update('opencodeUrl', before.opencode, vscode.ConfigurationTarget.Global);
      await config().update('serverUrl', before.server, vscode.ConfigurationTarget.Global);
      await listening.stop();
    }
  });

  it('openOpencode runs opencode in a terminal with the fleet in OPENCODE_CONFIG_CONTENT, writing no config file', async () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const record = path.join(dir, 'opencode-run.txt');
    // Stands in for opencode: records its arguments and the config it was given, then exits.
    fs.writeFileSync(path.join(bin, 'opencode'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}.tmp'\nprintf '%s' "$OPENCODE_CONFIG_CONTENT" >> '${record}.tmp'\nmv '${record}.tmp' '${record}'\n`, { mode: 0o755 });
    const savedPath = process.env['PATH'];
    process.env['PATH'] = `${bin}${path.delimiter}${savedPath ?? ''}`;
    const before = new Set(vscode.window.terminals);
    try {
      const outcome = await run('boocode.openOpencode', 'embedding/qwen3');
      assert.equal(outcome.ok, true, outcome.message);
      const text = await waitFor('opencode to start in the terminal', () => fs.existsSync(record) && fs.readFileSync(record, 'utf8'), 15000);
      const lines = text.split('\n');
      assert.deepEqual(lines.slice(0, 4), ['--port', String(outcome.port), '-m', 'embedding/qwen3']);
      const bridge = z
        .object({ model: z.string(), enabled_providers: z.array(z.string()), provider: z.record(z.string(), z.object({ options: z.object({ baseURL: z.string() }), models: z.record(z.string(), z.object({ name: z.string() })) })) })
        .parse(JSON.parse(lines.slice(4).join('\n')));
      assert.equal(bridge.model, 'embedding/qwen3');
      assert.deepEqual(bridge.enabled_providers, ['sam-desktop', 'embedding']);
      assert.equal(bridge.provider['embedding']?.options.baseURL, `${emb.url}/v1`);
      assert.deepEqual(Object.keys(bridge.provider['sam-desktop']?.models ?? {}).sort(), ['Qwen/Qwen3-8B', 'qwen3']);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      for (const name of ['opencode.json', 'opencode.jsonc']) assert.ok(folder === undefined || !fs.existsSync(path.join(folder, name)), `no ${name} written`);
    } finally {
      process.env['PATH'] = savedPath;
      for (const terminal of vscode.window.terminals) if (!before.has(terminal)) terminal.dispose();
    }
  });
});
