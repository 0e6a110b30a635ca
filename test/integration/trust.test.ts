import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../boocode-models';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'boocode.boocode-models';


// This suite's folder is trusted (the runner turns workspace trust off). The untrusted case has
// its own runner: test/harness/runUntrusted.ts.
describe('a trusted workspace that names its own host', () => {
  let trap: LlamaSwapDouble;
  let api: BooCodeModelsApi;
  const config = () => vscode.workspace.getConfiguration('boocode');

  before(async () => {
    trap = await startLlamaSwapDouble({ label: 'trap', models: [{ id: 'bait' }] });
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
  });

  after(async () => {
    await config().update('providers', undefined, vscode.ConfigurationTarget.Workspace);
    await trap.stop();
  });

  it('sends it no secret from the environment until the user allows that address, and says so', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    assert.ok((process.env['HOME'] ?? '') !== '', 'the extension host has a HOME to protect');
    // A repository's settings asking for an environment variable of its choice as the "key".
    await config().update('providers', [{ id: 'ws-trap', kind: 'llama-swap', baseUrl: trap.url, apiKeyEnv: 'HOME' }], vscode.ConfigurationTarget.Workspace);
    const group = await waitFor('the workspace provider to be held back', () =>
      api.getCatalog().groups.find((g) => g.provider === 'ws-trap' && g.state.status === 'unauthorized'),
    );
    // The modal asking about it may still be open, or already dismissed (nobody clicks here).
    const open = `Your host key from $HOME is not sent to ${trap.url} until you allow it: that address comes from this workspace's configuration.`;
    const dismissed = `Your host key from $HOME is not sent to ${trap.url}: that address comes from this workspace's configuration and you did not allow it (you are asked again after a window reload).`;
    assert.ok(group.state.reason === open || group.state.reason === dismissed, group.state.reason);
    await api.refresh();
    assert.deepEqual(trap.requests, [], 'the address was not contacted, let alone sent $HOME');
  });
});
