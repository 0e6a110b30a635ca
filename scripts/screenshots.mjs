// `npm run screenshots`: the README's pictures and the Marketplace icon, made from the real
// workbench and the demo fleet so they stay true. Writes media/screenshots/*.png and media/icon.png.
// Look at every picture before committing it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { root, startDemo } from './demo.mjs';

const require = createRequire(import.meta.url);
process.chdir(root);
for (const [cmd, args] of [['bash', ['scripts/vscode/setup.sh']], ['npx', ['tsc', '-p', 'tsconfig.json']], ['node', ['esbuild.mjs']]]) {
  if (spawnSync(cmd, args, { stdio: 'inherit' }).status !== 0) process.exit(1);
}
const { chromium } = require('playwright-core');
const { CHROMIUM_ARGS, CHROMIUM_PATH } = require('../out/test/harness/tools.js');
const { openWorkbench } = require('../out/test/harness/workbench.js');
const { runCommand, webviewFrame } = require('../out/test/harness/workbenchUi.js');

const outDir = path.join(root, 'media', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const written = [];

/** The 128x128 Marketplace icon: the activity-bar ghost, white on the brand colour. */
async function icon() {
  const svg = fs.readFileSync(path.join(root, 'media', 'boocode.svg'), 'utf8').replace(/currentColor/g, '#ffffff');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<!doctype html><body style="margin:0;background:transparent">
      <div style="width:128px;height:128px;border-radius:24px;background:linear-gradient(135deg,#5b4fd6,#2f86d6);display:flex;align-items:center;justify-content:center">
      <img style="width:92px;height:92px" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></div></body>`);
    await page.locator('img').evaluate((img) => img.decode());
    const file = path.join(root, 'media', 'icon.png');
    await page.screenshot({ path: file, omitBackground: true });
    written.push(file);
  } finally {
    await browser.close();
  }
}

/** Clip of the union of the boxes of `locators`, with a margin, kept inside the viewport. */
async function clipOf(page, locators, margin = 0) {
  const boxes = [];
  for (const locator of locators) {
    const box = await locator.boundingBox();
    if (box) boxes.push(box);
  }
  const viewport = page.viewportSize();
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x, y, width: right - x, height: bottom - y };
}

async function shoot(page, name, clip) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, clip });
  written.push(file);
}

async function pictures(theme, suffix) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boocode-shots-'));
  const demo = await startDemo({ dataDir, settings: { 'workbench.colorTheme': theme }, traffic: false });
  let workbench;
  try {
    workbench = await openWorkbench(demo.server, { folder: demo.workspace, extensionDevelopmentPath: root, viewport: { width: 1200, height: 720 } });
    const { page } = workbench;
    await page.locator('.activitybar [aria-label^="BooCode"]').first().click();
    const view = webviewFrame(page);
    const row = (section, id) => view.locator(`[data-kind="model"][data-section="${section}"][data-id="${id}"]`);
    await row('p:embedding', 'embedding/qwen3').waitFor({ timeout: 60_000 });
    // Favorites as BooChat would have stored them on the BooCode server.
    demo.fleet.booCode.poke('model_favorites', ['sam-desktop/qwen3-coder-30b', 'embedding/qwen3']);
    await runCommand(page, 'BooCode: Refresh Models');
    await row('favorites', 'embedding/qwen3').waitFor({ timeout: 20_000 });
    // A click moves the cursor; a double-click chooses.
    await row('favorites', 'sam-desktop/qwen3-coder-30b').dblclick();
    const item = page.locator('[id$="boocode.activeModel"]');
    await item.filter({ hasText: 'Qwen3 Coder 30B · sam-desktop' }).waitFor({ timeout: 20_000 });
    await page.mouse.move(600, 400);
    await page.waitForTimeout(500);
    await shoot(page, `picker-${suffix}`, await clipOf(page, [page.locator('.part.activitybar'), page.locator('#workbench\\.parts\\.sidebar')]));

    await runCommand(page, 'BooCode: Select Model');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.monaco-list-row').first().waitFor();
    await page.waitForTimeout(300);
    await shoot(page, `select-model-${suffix}`, await clipOf(page, [widget], 8));
    await page.keyboard.press('Escape');

    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').first();
    await hover.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await shoot(page, `status-bar-${suffix}`, await clipOf(page, [hover, item], 8));

    // A model loading: choosing a model never loads it; its first chat does. Choose a stopped model
    // on sam-desktop and send it a chat as BooCoder would (the demo host takes 8 s to load it); the
    // row, its host's header and the status bar say so while it loads.
    await page.mouse.move(600, 400);
    await row('p:sam-desktop', 'sam-desktop/gemma3-12b').dblclick();
    const chat = fetch(`${demo.fleet.urls.samDesktop}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'gemma3-12b', messages: [{ role: 'user', content: 'Hello' }] }),
    }).then((res) => res.arrayBuffer(), () => undefined);
    await view.locator('[data-kind="model"][data-id="sam-desktop/gemma3-12b"][data-state="starting"]').first().waitFor({ timeout: 20_000 });
    await item.filter({ hasText: 'loading' }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(2500);
    await shoot(page, `loading-${suffix}`, await clipOf(page, [page.locator('.part.activitybar'), page.locator('#workbench\\.parts\\.sidebar'), page.locator('#workbench\\.parts\\.statusbar')]));
    await chat;
  } finally {
    await workbench?.close();
    await demo.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await icon();
await pictures('Default Light Modern', 'light');
await pictures('Default Dark Modern', 'dark');
for (const file of written) console.log(`wrote ${path.relative(root, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
