import * as vscode from 'vscode';
import { probeHost } from '../../core/catalog/probe';
import type { HttpClient } from '../../core/ports';
import { httpUrlProblem, parseRegistrySource, PROVIDER_ID_PATTERN, type ProviderEntry } from '../../core/registry/registry';
import type { WorkspaceSettings } from '../settings';
import { trimTrailingSlashes } from '../../core/common/url';


/**
 * "Add Provider...": asks for an id and a URL, probes the URL and says what is there before
 * writing the entry to the user's settings, so nobody has to hand-write JSON to start.
 */
export async function addProvider(
  http: HttpClient,
  timeoutMs: number,
  existingIds: ReadonlySet<string>,
  settings: WorkspaceSettings,
): Promise<ProviderEntry | undefined> {
  const id = await vscode.window.showInputBox({
    title: 'Add Provider (1/2)',
    prompt: 'A short name for this host, used in model ids (e.g. sam-desktop)',
    placeHolder: 'sam-desktop',
    validateInput: (value) => {
      if (!PROVIDER_ID_PATTERN.test(value)) return 'Use 1-64 characters of a-z, 0-9, ".", "_" or "-" (no "/"), starting with a letter or digit.';
      if (existingIds.has(value)) return `A provider "${value}" already exists.`;
      return undefined;
    },
  });
  if (id === undefined) return undefined;
  const url = await vscode.window.showInputBox({
    title: 'Add Provider (2/2)',
    prompt: `The base URL of "${id}" (llama-swap: the address without /v1)`,
    placeHolder: 'http://127.0.0.1:8080',
    // The registry's own rule: an address it would refuse is never probed, shown or written.
    validateInput: (value) => {
      const problem = httpUrlProblem(value.trim());
      return problem === undefined ? undefined : `The URL ${problem} (a key belongs in "apiKeyEnv").`;
    },
  });
  if (url === undefined) return undefined;
  const baseUrl = trimTrailingSlashes(url.trim());
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${baseUrl}…` },
    () => probeHost(http, baseUrl, timeoutMs),
  );
  let entry: ProviderEntry;
  let found: string;
  switch (result.kind) {
    case 'llama-swap':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = `Found a llama-swap host with ${result.models} model${result.models === 1 ? '' : 's'}.`;
      break;
    case 'openai-compatible':
      entry = { id, kind: 'openai-compatible', baseUrl };
      found = `Found an OpenAI-compatible server with ${result.models} model${result.models === 1 ? '' : 's'}.`;
      break;
    case 'unauthorized':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = 'The host is there but asks for an API key (unauthorized). Set "apiKeyEnv" on the entry afterwards.';
      break;
    case 'unreachable':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = `The host is not reachable (${result.reason}).`;
      break;
    case 'not-a-model-host':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = `This does not look like a model host: ${result.reason}.`;
      break;
  }
  const ok = result.kind === 'llama-swap' || result.kind === 'openai-compatible';
  const add = ok ? 'Add' : 'Add Anyway';
  const answer = await (ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(
    `${found} Add "${id}" to your user settings?`,
    { modal: !ok },
    add,
  );
  if (answer !== add) return undefined;
  // Checked as the registry will read it, so "Add Anyway" never writes an entry it refuses.
  const checked = parseRegistrySource([entry], 'Add Provider', 'user-settings', false);
  const refused = checked.ok ? checked.problems[0]?.message : checked.message;
  if (refused !== undefined) {
    void vscode.window.showErrorMessage(`${refused}. Nothing was written.`);
    return undefined;
  }
  await settings.appendUserProvider(entry);
  return entry;
}
