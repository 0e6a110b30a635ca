import * as assert from 'node:assert/strict';
import { screenshotPath, useHarness } from './harness';
import { openPicker } from './pickerPage';
import type { ThemeName } from './themes';
import { entry, group, offline, online, snapshot } from './snapshots';

function demo() {
  return snapshot(
    [
      group(
        'sam-desktop',
        [
          entry('sam-desktop', 'qwen3-coder-30b', { name: 'Qwen3 Coder 30B', contextWindow: 262144, loaded: true, favorite: true }),
          entry('sam-desktop', 'qwen3-8b', { contextWindow: 32768 }),
          entry('sam-desktop', 'gemma-3-27b', { name: 'Gemma 3 27B', contextWindow: 131072 }),
          entry('sam-desktop', 'llama-3.3-70b', { contextWindow: 131072, loaded: true }),
          entry('sam-desktop', 'nomic-embed', {}),
        ],
        online(12),
        'Sam Desktop',
      ),
      group(
        'embedding',
        [
          entry('embedding', 'deepseek-r1-qwen3-8b', { name: 'DeepSeek R1 Qwen3 8B', contextWindow: 65536, favorite: true }),
          entry('embedding', 'qwen3-8b', { contextWindow: 32768, loaded: true }),
        ],
        online(48),
      ),
      group('deepseek', [], { status: 'unauthorized', reason: 'No API key set' }, 'DeepSeek'),
      group('nas', [], offline('connect ECONNREFUSED 192.168.1.20:8080'), 'NAS'),
    ],
    {
      activeId: 'sam-desktop/qwen3-coder-30b',
      sync: { mode: 'server', state: 'offline', pending: 3 },
      registryProblems: ['Registry entry "lab": baseUrl is not a URL'],
      actions: ['pushToOpencode', 'openOpencode'],
    },
  );
}

describe('picker webview screenshots (Chromium)', function () {
  this.timeout(60_000);
  const harness = useHarness();

  for (const [theme, width] of [['dark', 360], ['light', 360], ['hc', 360], ['dark', 250], ['light', 250]] as [ThemeName, number][]) {
    const suffix = width === 360 ? '' : `-${width}`;
    it(`renders in the ${theme} theme at ${width} px`, async () => {
      const p = await openPicker(harness.browser(), harness.server(), { theme, width, height: 460 });
      try {
        await p.sendSnapshot(demo());
        await p.page.focus('.tree');
        await p.page.keyboard.press('ArrowDown');
        await p.page.mouse.move(Math.min(200, width - 60), 250);
        await p.settle();
        await p.page.screenshot({ path: screenshotPath(`picker-${theme}${suffix}.png`) });

        await p.page.fill('.search-input', 'qwen 8b');
        await p.settle();
        await p.page.focus('.tree');
        await p.settle();
        await p.page.screenshot({ path: screenshotPath(`picker-${theme}-filter${suffix}.png`) });

        await p.sendSnapshot(snapshot([]));
        await p.page.screenshot({ path: screenshotPath(`picker-${theme}-empty${suffix}.png`) });
        await p.sendSnapshot(snapshot([group('nas', [], offline('connect ECONNREFUSED 192.168.1.20:8080'), 'NAS'), group('deepseek', [], { status: 'unauthorized' }, 'DeepSeek')]));
        await p.page.fill('.search-input', '');
        await p.settle();
        await p.page.screenshot({ path: screenshotPath(`picker-${theme}-offline${suffix}.png`) });
        assert.deepEqual(await p.cspViolations(), []);
        assert.deepEqual(p.errors, []);
      } finally {
        await p.close();
      }
    });
  }
});
