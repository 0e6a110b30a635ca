/**
 * Commands and views for `npm run bench` only. extension.ts registers them when the extension host
 * runs with BOOCODE_BENCH=1; the commands are not contributed in package.json, and the two empty
 * webview views are contributed with `when: boocode.bench`, a context key only this file sets, so
 * users never see them.
 */
import { writeFileSync } from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { ModelHub } from '../../core/hub/modelHub';
import type { PickerViewProvider } from '../picker/sidebarView';
import { buildItems } from '../picker/selectModel';
import { t } from '../../shared/l10n';

export const BenchCommands = {
  /** VS Code's own QuickPick with the items Select Model shows: the reference for the sidebar picker. */
  openQuickPick: 'boocode.bench.openQuickPick',
  /** Writes VS Code's "Startup Performance" text (extension activation times) to $BOOCODE_BENCH_OUT. */
  writeStartupPerformance: 'boocode.bench.writeStartupPerformance',
  /** Writes this extension host's heap after a full GC (and the picker's timings) to $BOOCODE_BENCH_OUT.probe.json. */
  writeProbe: 'boocode.bench.writeProbe',
} as const;

/** The floor: empty webview views, opened like the picker from their own activity-bar icon. */
export const BenchViews = {
  /** Same options as the picker (scripts enabled, retained when hidden). */
  floor: 'boocode.bench.floor',
  /** Not retained when hidden: what reopening costs a webview that VS Code drops while hidden. */
  floorPlain: 'boocode.bench.floorPlain',
} as const;

/** The context key the bench views' `when` clause reads. */
const BENCH_CONTEXT_KEY = 'boocode.bench';

/** One visible word and nothing to load: no script, style, font or image. */
export const FLOOR_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>Empty</title>
</head>
<body>
<div id="bench-floor">Empty webview</div>
</body>
</html>`;

export function benchEnabled(): boolean {
  return process.env['BOOCODE_BENCH'] === '1';
}

let collect: (() => void) | undefined;
/** A full garbage collection, so heapUsed counts live objects only. */
function fullGc(): void {
  if (collect === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}

/** When VS Code asked the floor views for their page (Date.now()). */
const floorResolves: number[] = [];

function floorProvider(): vscode.WebviewViewProvider {
  return {
    resolveWebviewView(view) {
      if (floorResolves.length < 100) floorResolves.push(Date.now());
      view.webview.options = { enableScripts: true, localResourceRoots: [] };
      view.webview.html = FLOOR_HTML;
    },
  };
}

export function registerBenchCommands(hub: ModelHub, picker: PickerViewProvider, retainPicker: boolean): vscode.Disposable[] {
  let opened = 0;
  void vscode.commands.executeCommand('setContext', BENCH_CONTEXT_KEY, true);
  return [
    vscode.window.registerWebviewViewProvider(BenchViews.floor, floorProvider(), { webviewOptions: { retainContextWhenHidden: retainPicker } }),
    vscode.window.registerWebviewViewProvider(BenchViews.floorPlain, floorProvider(), { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand(BenchCommands.openQuickPick, () => {
      // Plain: the same items and matching as Select Model, none of its behaviour on top. The
      // title counts the opens, so the benchmark can tell this QuickPick's rows from the last one's.
      const qp = vscode.window.createQuickPick();
      qp.title = t('Select Model (benchmark {0})', ++opened);
      qp.matchOnDescription = true;
      qp.matchOnDetail = false;
      qp.items = buildItems(hub);
      qp.onDidHide(() => qp.dispose());
      qp.show();
    }),
    vscode.commands.registerCommand(BenchCommands.writeProbe, async (args?: { refresh?: boolean }) => {
      const out = process.env['BOOCODE_BENCH_OUT'];
      if (out === undefined || out === '') return;
      if (args?.refresh === true) await hub.refresh();
      const view = hub.view();
      const models = view.groups.reduce((n, g) => n + g.models.length, 0);
      fullGc();
      const memory = process.memoryUsage();
      writeFileSync(
        `${out}.probe.json`,
        JSON.stringify({ writtenAt: Date.now(), pid: process.pid, models, heapUsed: memory.heapUsed, rss: memory.rss, external: memory.external, resolves: picker.resolves, floorResolves }),
      );
    }),
    vscode.commands.registerCommand(BenchCommands.writeStartupPerformance, async () => {
      const out = process.env['BOOCODE_BENCH_OUT'];
      if (out === undefined || out === '') return;
      let result: { text?: string; error?: string };
      try {
        // VS Code's own "Developer: Startup Performance" document (per-extension activation times).
        // Its content provider exists once the command has run; its text fills in when startup is over.
        await vscode.commands.executeCommand('perfview.show');
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }));
        const until = Date.now() + 20_000;
        while (!doc.getText().includes('boocode.boocode-models') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
        result = { text: doc.getText() };
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } catch (error) {
        result = { error: error instanceof Error ? error.message : String(error) };
      }
      writeFileSync(out, JSON.stringify({ writtenAt: Date.now(), ...result }));
    }),
  ];
}
