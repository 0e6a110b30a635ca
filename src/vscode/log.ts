import * as vscode from 'vscode';
import { redact } from '../core/trust/redact';

/** The "BooCode Models" log. Every line passes through redaction of the secrets known now. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private secrets: readonly string[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel('BooCode Models', { log: true });
  }

  setSecrets(secrets: readonly (string | undefined)[]): void {
    this.secrets = secrets.filter((s): s is string => s !== undefined && s.length > 0);
  }

  /** Every secret known now, for text that must be redacted before it is cut. */
  known(): readonly string[] {
    return this.secrets;
  }

  /** The text with every secret known now replaced, for anything shown outside the log too. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  info(message: string): void {
    this.channel.info(redact(message, this.secrets));
  }
  warn(message: string): void {
    this.channel.warn(redact(message, this.secrets));
  }
  error(message: string): void {
    this.channel.error(redact(message, this.secrets));
  }

  dispose(): void {
    this.channel.dispose();
  }
}
