// `npm start -- --smoke`: after the demo is up, checks what a newcomer would see in the browser,
// then the caller stops everything. Each check prints one line; the first that fails throws.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

async function check(title, body) {
  const started = Date.now();
  try {
    const detail = await body();
    console.log(`  ok   ${title}${detail ? `: ${detail}` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.log(`  FAIL ${title}: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

/** Opens the printed URL in Chromium and checks the workbench, the extension and the picker. */
export async function smokeCheck({ server, url, workspace, root, providers }) {
  const { openWorkbench } = require('../out/test/harness/workbench.js');
  const { screenshot, statusBarText, webviewFrame } = require('../out/test/harness/workbenchUi.js');
  console.log('\nSmoke check (Chromium on the URL above):');
  await check('the workbench URL answers', async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return `HTTP ${response.status}`;
  });
  await check('the demo fleet answers', async () => {
    for (const provider of providers) {
      const path = provider.kind === 'llama-swap' ? '/v1/models' : '/models';
      const headers = provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {};
      const response = await fetch(`${provider.baseUrl}${path}`, { headers });
      if (!response.ok) throw new Error(`${provider.id}: HTTP ${response.status} for ${path}`);
    }
    return providers.map((p) => p.id).join(', ');
  });
  const workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath: root });
  try {
    const { page } = workbench;
    await check('the extension activated (its status-bar item is shown)', async () => {
      const until = Date.now() + 60_000;
      for (;;) {
        // Found by its element id (the text is the chosen model's name and host, or "Select model").
        const item = page.locator('[id$="boocode.activeModel"]');
        const line = (await item.count()) > 0 ? (await item.first().innerText()).trim() : '';
        if (line !== '') return `"${line}"`;
        if (Date.now() > until) {
          const text = await statusBarText(page);
          throw new Error(`no BooCode item in the status bar; it shows: ${text.replace(/\n/g, ' | ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    await check('the sidebar picker lists every demo host', async () => {
      await page.locator('.activitybar [aria-label^="BooCode"]').first().click();
      const view = webviewFrame(page);
      for (const provider of providers) {
        await view.locator(`[data-kind="model"][data-id^="${provider.id}/"]`).first().waitFor({ timeout: 60_000 });
      }
      const ids = await view.locator('[data-kind="model"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
      const hosts = [...new Set(ids.map((id) => String(id).split('/')[0]))];
      return `${new Set(ids).size} models from ${hosts.join(', ')}`;
    });
    await check('the live state moves by itself (the demo client loads or stops a model)', async () => {
      const view = webviewFrame(page);
      // The demo client takes a step every ~20 s; one of the next two loads or stops a model.
      const moving = view.locator('[data-kind="model"][data-state="starting"], [data-kind="model"][data-state="stopping"]').first();
      await moving.waitFor({ timeout: 90_000 });
      const words = ((await moving.locator('.live').textContent().catch(() => '')) ?? '').trim();
      await screenshot(page, 'smoke-live').catch(() => undefined);
      return `${await moving.getAttribute('data-id')}: ${words || (await moving.getAttribute('data-state'))}`;
    });
  } catch (err) {
    const picture = await screenshot(workbench.page, 'smoke-failure').catch(() => undefined);
    if (picture) console.log(`  what the browser showed: ${picture}`);
    throw err;
  } finally {
    await workbench.close();
  }
}
