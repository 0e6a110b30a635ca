import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../../boocode-models';
import { waitFor } from '../waitFor';

const EXTENSION_ID = 'boocode.boocode-models';
const VENDOR = 'boocode';
const MODEL = 'mm-lab/managed-model';

async function listed(): Promise<vscode.LanguageModelChat[]> {
  return (await vscode.lm.selectChatModels({ vendor: VENDOR })).filter((m) => m.id === MODEL);
}

/**
 * runManageModels.ts seeds the default profile's "Manage Models" file before the workbench starts,
 * as VS Code 1.139 keeps it: `User/chatLanguageModels.json` in the user-data dir, a list of
 * `{ vendor, name, ...the configuration's properties }`: a group for a llama-swap double and one
 * whose URL is not http(s).
 */
describe('a llama-swap host in VS Code\'s "Manage Models" (seeded chatLanguageModels.json)', () => {
  let api: BooCodeModelsApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<BooCodeModelsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
  });

  it('becomes a registry provider whose models VS Code lists under that group, and chats reach that host', async () => {
    const group = await waitFor(
      'the group as a provider in the catalog, online',
      async () => {
        // Listing the vendor is what makes VS Code hand the extension its groups.
        await vscode.lm.selectChatModels({ vendor: VENDOR });
        return api.getCatalog().groups.find((g) => g.provider === 'mm-lab' && g.state.status === 'online' && g.models.length > 0);
      },
      30000,
    );
    assert.deepEqual([group.label, group.models.map((m) => m.id)], ['MM Lab', [MODEL]]);
    assert.equal(api.getCatalog().groups.some((g) => g.provider === 'broken'), false, 'the bad group joins nothing');

    const models = await waitFor('vscode.lm to list the group model', async () => ((await listed()).length > 0 ? listed() : undefined), 30000);
    assert.equal(models.length, 1, 'listed once: under its group, not again in the unconfigured listing');
    const chat = models[0];
    assert.ok(chat);
    assert.equal(chat.maxInputTokens, 8192 - 4096);

    const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User('Hello')]);
    let text = '';
    for await (const part of response.text) text += part;
    assert.equal(text, 'reply from mm model managed-model', 'the reply came from the double of the group');
  });
});
