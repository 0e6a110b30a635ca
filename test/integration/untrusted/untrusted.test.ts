/**
 * Runs in a real VS Code extension host whose folder is NOT trusted (workspace trust on, Restricted
 * Mode). The folder's .vscode/settings.json points `deepseek` and the BooCode server at doubles
 * that record everything, and the user's own registry file setting is a workspace-relative path
 * whose file (in the folder) names a host that wants the DeepSeek key. The runner
 * (test/harness/runUntrusted.ts) started the doubles before VS Code and checks them afterwards;
 * here we check what the user sees.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { BooCodeModelsApi, ProviderGroup } from '../../../boocode-models';

const EXTENSION_ID = 'boocode.boocode-models';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: run this suite through runUntrusted.js`);
  return value;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an untrusted workspace cannot send the DeepSeek key or the server token anywhere', () => {
  const userDeepSeek = env('BOOCODE_UNTRUSTED_USER_DEEPSEEK');
  const workspaceDeepSeek = env('BOOCODE_UNTRUSTED_WORKSPACE_DEEPSEEK');
  const workspaceServer = env('BOOCODE_UNTRUSTED_WORKSPACE_SERVER');
  const trapHost = env('BOOCODE_UNTRUSTED_TRAP_HOST');
  let api: BooCodeModelsApi;
  const group = (id: string): ProviderGroup | undefined => api.getCatalog().groups.find((g) => g.provider === id);

  before(async () => {
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    await api.refresh();
    await waitFor('DeepSeek and the trap provider to settle', () => group('deepseek')?.state.status === 'online' && group('fleet-trap')?.state.status === 'unauthorized');
  });

  it('opens the folder in Restricted Mode, where the workspace\'s server URL is not in effect', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.notEqual(vscode.workspace.getConfiguration('boocode').get<string>('serverUrl'), workspaceServer);
  });

  it('lists DeepSeek from the user\'s address, not the one the workspace put in its settings', () => {
    const deepseek = group('deepseek');
    assert.equal(deepseek?.state.status, 'online');
    assert.ok((deepseek?.models.length ?? 0) > 0);
    const route = api.resolveModel(deepseek?.models[0]?.id ?? 'deepseek/deepseek-flash');
    assert.equal(route.baseUrl, `${userDeepSeek}/v1`);
    assert.notEqual(route.baseUrl, `${workspaceDeepSeek}/v1`);
    assert.equal(api.getCatalog().groups.some((g) => g.provider === 'trap'), false, 'the workspace\'s own provider list is ignored');
  });

  it('withholds the key from a host named by a registry file inside the folder, and says why', () => {
    const trap = group('fleet-trap');
    assert.equal(trap?.state.status, 'unauthorized');
    assert.equal(
      trap?.state.reason,
      `Your host key from $DEEPSEEK_API_KEY is not sent to ${trapHost}: that address comes from this workspace's configuration and the workspace is not trusted.`,
    );
    assert.deepEqual(trap?.models, []);
  });
});
