import * as vscode from 'vscode';
import { describeState, formatContextWindow } from '../core/format';
import type { ModelHub } from '../core/modelHub';
import { displayText } from '../core/text';
import { Commands } from './constants';

/** The active model in the status bar; warning colours while its provider is not online. */
export class ActiveModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };

  constructor(private readonly hub: ModelHub) {
    this.item = vscode.window.createStatusBarItem('boocode.activeModel', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'BooCode Active Model';
    this.item.command = Commands.selectModel;
    this.subscription = hub.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  render(): void {
    const view = this.hub.view();
    const active = view.active;
    if (!active && view.activeProblem) {
      // The stored model stays what it was (its provider may come back); it is never shown as another.
      const id = displayText(view.activeProblem.id, 60);
      this.item.text = `$(warning) ${id}`;
      this.item.tooltip = `${view.activeProblem.reason} Click to pick another model.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.accessibilityInformation = { label: `BooCode active model ${id}, not available`, role: 'button' };
      return;
    }
    if (!active) {
      this.item.text = '$(hubot) Select model';
      this.item.tooltip = 'BooCode: no model selected. Click to pick one.';
      this.item.backgroundColor = undefined;
      this.item.accessibilityInformation = { label: 'BooCode: no model selected', role: 'button' };
      return;
    }
    const group = view.groups.find((g) => g.provider === active.provider);
    const online = group?.state.status === 'online';
    this.item.text = `$(hubot) ${active.id}`;
    this.item.backgroundColor = online ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendText(`${active.entry?.name ?? active.model}\n\n`);
    tooltip.appendText(`Provider ${group?.label ?? active.provider}: ${group ? describeState(group.state) : 'not registered'}\n\n`);
    const ctx = formatContextWindow(active.entry?.contextWindow);
    tooltip.appendText(`Context window: ${ctx ?? 'unknown (the provider does not report it)'}\n\n`);
    if (active.entry?.loaded !== undefined) tooltip.appendText(active.entry.loaded ? 'Loaded on its host\n\n' : 'Not loaded (loads on first use)\n\n');
    if (online && !active.entry) tooltip.appendText('The provider no longer lists this model.\n\n');
    tooltip.appendMarkdown('Click to select another model.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `BooCode active model ${active.id}${online ? '' : ', provider not online'}`, role: 'button' };
  }

  /** For tests: what the item shows. */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
