import * as vscode from 'vscode';
import { activeModelRows, activeStateText, badgesRow } from '../../core/picker/statusBarText';
import type { ModelHub } from '../../core/hub/modelHub';
import { displayText } from '../../core/common/text';
import { Commands } from '../../shared/contributions';
import { t } from '../../shared/l10n';

/** Not `hubot`, which users read as Copilot's: a chip, the hardware the model runs on. */
const ICON = 'chip';

/** Text shown as is: `$(name)` in a model's name must not become an icon (`\$(` is shown as `$(`). */
function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/** A value in a Markdown table cell: no markup, no cell breaks, no line breaks, no icons. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, '\\$&').replace(/[\r\n]+/g, ' ');
}

/** The active model in the status bar: its name and host; warning colours while its host is not online. */
export class ActiveModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  /** Only while the active model is loading: its elapsed seconds tick. */
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly hub: ModelHub) {
    this.item = vscode.window.createStatusBarItem('boocode.activeModel', vscode.StatusBarAlignment.Right, 100);
    this.item.name = t('BooCode Active Model');
    this.item.command = Commands.selectModel;
    this.subscription = hub.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  render(): void {
    const view = this.hub.view();
    const active = view.active;
    this.tick(active?.entry?.state === 'starting' && view.groups.find((g) => g.provider === active.provider)?.state.status === 'online');
    if (!active && view.activeProblem) {
      // The stored model stays what it was (its provider may come back); it is never shown as another.
      const id = displayText(view.activeProblem.id, 60);
      this.item.text = `$(warning) ${id}`;
      this.item.tooltip = t('{0} Click to pick another model.', view.activeProblem.reason);
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.accessibilityInformation = { label: t('BooCode active model {0}, not available', id), role: 'button' };
      return;
    }
    if (!active) {
      this.item.text = `$(${ICON}) ${t('Select model')}`;
      this.item.tooltip = t('BooCode: no model selected. Click to pick one.');
      this.item.backgroundColor = undefined;
      this.item.accessibilityInformation = { label: t('BooCode: no model selected'), role: 'button' };
      return;
    }
    const group = view.groups.find((g) => g.provider === active.provider);
    const online = group?.state.status === 'online';
    const name = active.entry?.name ?? active.model;
    const host = group?.label ?? active.provider;
    // The model's name with its host: the host tells twins apart (`qwen3 · sam-desktop`).
    const now = Date.now();
    const state = online ? activeStateText(view, now) : undefined;
    const icon = !online ? 'debug-disconnect' : active.entry?.state === 'starting' ? 'loading~spin' : ICON;
    this.item.text = `$(${icon}) ${escapeIcons(name)} · ${escapeIcons(host)}${state !== undefined ? ` · ${state}` : ''}`;
    this.item.backgroundColor = online ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    const rows = activeModelRows(view, now);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendMarkdown(`**${escapeMarkdown(name)}**\n\n| | |\n|:--|:--|\n`);
    // The badges row keeps its codicons (`$(tools)`); every other value came from a host and is escaped.
    for (const [key, value] of rows) tooltip.appendMarkdown(`| ${key} | ${key === badgesRow() ? value : escapeMarkdown(value)} |\n`);
    tooltip.appendMarkdown(`\n${t('Click to select another model.')}`);
    this.item.tooltip = tooltip;
    const modelState = active.entry?.state;
    this.item.accessibilityInformation = {
      label: !online
        ? t('BooCode chat model {0} on {1}, host not online', name, host)
        : modelState === 'starting'
          ? t('BooCode chat model {0} on {1}, loading', name, host)
          : modelState === 'stopping'
            ? t('BooCode chat model {0} on {1}, stopping', name, host)
            : t('BooCode chat model {0} on {1}', name, host),
      role: 'button',
    };
  }

  private tick(on: boolean): void {
    if (on && this.ticker === undefined) this.ticker = setInterval(() => this.render(), 1000);
    else if (!on && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** For tests: what the item shows. */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.tick(false);
    this.subscription.dispose();
    this.item.dispose();
  }
}
