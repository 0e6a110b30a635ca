/**
 * code-server is a remote setup: the workbench runs in the browser, the extension host on the
 * server. Nothing the extension hands the UI may assume they share a machine: the browser must
 * never be sent to a fleet address (the hosts are the extension host's to reach) nor to a
 * `file:` URL of the server's disk.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBooCodeServerDouble, type BooCodeServerDouble } from '../../doubles/booCodeServerDouble';
import { startLlamaSwapDouble, type LlamaSwapDouble } from '../../doubles/llamaSwapDouble';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { repoRoot } from '../harness/tools';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { runCommand, webviewFrame } from '../harness/workbenchUi';

describe('remote setup: the UI never reaches for the extension host\'s machine', function () {
  this.timeout(240000);
  let dir: string;
  let sam: LlamaSwapDouble;
  let server: BooCodeServerDouble;
  let codeServer: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const browserRequests: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-remote-'));
    fs.mkdirSync(path.join(dir, 'workspace'));
    sam = await startLlamaSwapDouble({ label: 'sam', models: [{ id: 'qwen3-coder-30b', name: 'Qwen3 Coder 30B', status: 'loaded' }, { id: 'qwen3' }] });
    server = await startBooCodeServerDouble({ dataFile: path.join(dir, 'settings.json') });
    codeServer = await startCodeServer({
      workspace: path.join(dir, 'workspace'),
      userSettings: {
        'boocode.providers': [{ id: 'sam-desktop', kind: 'llama-swap', baseUrl: sam.url }],
        'boocode.serverUrl': server.url,
        'boocode.requestTimeoutMs': 1000,
      },
    });
    workbench = await openWorkbench(codeServer, { folder: path.join(dir, 'workspace'), extensionDevelopmentPath: repoRoot() });
    // Every request any frame of the page makes, the webview's nested frames included.
    workbench.context.on('request', (request) => browserRequests.push(request.url()));
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    await codeServer?.stop().catch(() => undefined);
    await Promise.all([sam.stop(), server.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the fleet in the picker and Select Model with no browser request to a fleet address or file: URL', async () => {
    const page = workbench!.page;
    await page.locator('.activitybar [aria-label^="BooCode"]').first().click();
    const view = webviewFrame(page);
    await view.locator('[data-kind="model"][data-id="sam-desktop/qwen3-coder-30b"]').first().waitFor({ timeout: 30000 });
    await runCommand(page, 'BooCode: Refresh Models');
    await runCommand(page, 'BooCode: Select Model');
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    await page.keyboard.press('Escape');
    assert.ok(browserRequests.length > 0, 'requests were recorded');
    const fleetOrigins = [new URL(sam.url).origin, new URL(server.url).origin];
    const wrong = browserRequests.filter((url) => url.startsWith('file:') || fleetOrigins.some((origin) => url.startsWith(origin)));
    assert.deepEqual(wrong, []);
    // The picker's page carries its styles inline and loads only its bundle, as a webview resource
    // (answered by the webview's service worker through the workbench); the webview's own pages
    // came from the workbench's origin.
    const workbenchOrigin = new URL(codeServer!.url).origin;
    const webviewPages = browserRequests.filter((url) => /\/webview\/.*index\.html/.test(url));
    assert.ok(webviewPages.length > 0, `the webview's host page was loaded: ${browserRequests.slice(0, 5).join(', ')}`);
    for (const url of webviewPages) assert.ok(url.startsWith(workbenchOrigin), url);
  });
});
