import * as vscode from 'vscode';
import { probeHost } from '../../core/catalog/probe';
import type { HttpClient } from '../../core/ports';
import { httpUrlProblem, parseRegistrySource, PROVIDER_ID_PATTERN, type ProviderEntry } from '../../core/registry/registry';
import type { WorkspaceSettings } from '../settings';
import { trimTrailingSlashes } from '../../core/common/url';
import { t } from '../../shared/l10n';


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
    title: t('Add Provider (1/2)'),
    prompt: t('A short name for this host, used in model ids (e.g. sam-desktop)'),
    placeHolder: t('sam-desktop'),
    validateInput: (value) => {
      if (!PROVIDER_ID_PATTERN.test(value)) return t('Use 1-64 characters of a-z, 0-9, ".", "_" or "-" (no "/"), starting with a letter or digit.');
      if (existingIds.has(value)) return t('A provider "{0}" already exists.', value);
      return undefined;
    },
  });
  if (id === undefined) return undefined;
  const url = await vscode.window.showInputBox({
    title: t('Add Provider (2/2)'),
    prompt: t('The base URL of "{0}" (llama-swap: the address without /v1)', id),
    placeHolder: 'http://127.0.0.1:8080',
    // The registry's own rule: an address it would refuse is never probed, shown or written.
    validateInput: (value) => {
      const problem = httpUrlProblem(value.trim());
      return problem === undefined ? undefined : t('The URL {0} (a key belongs in "apiKeyEnv").', problem);
    },
  });
  if (url === undefined) return undefined;
  const baseUrl = trimTrailingSlashes(url.trim());
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Checking {0}…', baseUrl) },
    () => probeHost(http, baseUrl, timeoutMs),
  );
  let entry: ProviderEntry;
  let found: string;
  switch (result.kind) {
    case 'llama-swap':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = result.models === 1 ? t('Found a llama-swap host with 1 model.') : t('Found a llama-swap host with {0} models.', result.models);
      break;
    case 'openai-compatible':
      entry = { id, kind: 'openai-compatible', baseUrl };
      found = result.models === 1 ? t('Found an OpenAI-compatible server with 1 model.') : t('Found an OpenAI-compatible server with {0} models.', result.models);
      break;
    case 'unauthorized':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = t('The host is there but asks for an API key (unauthorized). Set "apiKeyEnv" on the entry afterwards.');
      break;
    case 'unreachable':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = t('The host is not reachable ({0}).', result.reason);
      break;
    case 'not-a-model-host':
      entry = { id, kind: 'llama-swap', baseUrl };
      found = t('This does not look like a model host: {0}.', result.reason);
      break;
  }
  const ok = result.kind === 'llama-swap' || result.kind === 'openai-compatible';
  const add = ok ? t('Add') : t('Add Anyway');
  const answer = await (ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(
    t('{0} Add "{1}" to your user settings?', found, id),
    { modal: !ok },
    add,
  );
  if (answer !== add) return undefined;
  // Checked as the registry will read it, so "Add Anyway" never writes an entry it refuses.
  const checked = parseRegistrySource([entry], 'Add Provider', 'user-settings', false);
  const refused = checked.ok ? checked.problems[0]?.message : checked.message;
  if (refused !== undefined) {
    void vscode.window.showErrorMessage(t('{0}. Nothing was written.', refused));
    return undefined;
  }
  await settings.appendUserProvider(entry);
  return entry;
}
