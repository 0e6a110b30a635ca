/**
 * Commands for `npm run bench` only. extension.ts registers them when the extension host runs with
 * BOOCODE_BENCH=1; they are not contributed in package.json, so users never see them.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ModelHub } from '../core/modelHub';
import { buildItems } from './selectModel';

export const BenchCommands = {
  /** VS Code's own QuickPick with the items Select Model shows: the reference for the sidebar picker. */
  openQuickPick: 'boocode.bench.openQuickPick',
  /** Writes VS Code's "Startup Performance" text (extension activation times) to $BOOCODE_BENCH_OUT. */
  writeStartupPerformance: 'boocode.bench.writeStartupPerformance',
} as const;

export function benchEnabled(): boolean {
  return process.env['BOOCODE_BENCH'] === '1';
}

export function registerBenchCommands(hub: ModelHub): vscode.Disposable[] {
  let opened = 0;
  return [
    vscode.commands.registerCommand(BenchCommands.openQuickPick, () => {
      // Plain: the same items and matching as Select Model, none of its behaviour on top. The
      // title counts the opens, so the benchmark can tell this QuickPick's rows from the last one's.
      const qp = vscode.window.createQuickPick();
      qp.title = `Select Model (benchmark ${++opened})`;
      qp.matchOnDescription = true;
      qp.matchOnDetail = false;
      qp.items = buildItems(hub);
      qp.onDidHide(() => qp.dispose());
      qp.show();
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
