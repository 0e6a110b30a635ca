/**
 * The one way user-visible text is written, on both sides: `t('Checking {0}…', label)`.
 * The host sets the translator to `vscode.l10n.t` at activation; the webview sets one that looks
 * messages up in the bundle the host embeds in its page. Until then (unit tests, English) a message
 * is itself, with `{0}`, `{1}`… replaced by the arguments, as `vscode.l10n.t` does.
 *
 * The first argument is always a string literal: `npm run l10n` (scripts/l10nExport.mjs) collects
 * them into l10n/bundle.l10n.json, and a unit test fails when one is missing there or is not a literal.
 */
export type L10nArg = string | number | boolean;
export type Translator = (message: string, ...args: L10nArg[]) => string;

/** `{0}`, `{1}`… replaced by the arguments; a placeholder without an argument stays as it is. */
export function format(message: string, args: readonly L10nArg[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? whole : String(arg);
  });
}

const identity: Translator = (message, ...args) => format(message, args);
let current: Translator = identity;

/** The message in the user's language (the message itself in English), with its arguments in place. */
export function t(message: string, ...args: L10nArg[]): string {
  return current(message, ...args);
}

/** Replaces the translator (`undefined`: back to English). */
export function setTranslator(translator: Translator | undefined): void {
  current = translator ?? identity;
}

/** A translator from a bundle (message -> translation, as `vscode.l10n.bundle` holds): a message it lacks stays English. */
export function bundleTranslator(bundle: Readonly<Record<string, string>>): Translator {
  return (message, ...args) => {
    const translated = Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message] : undefined;
    return format(typeof translated === 'string' ? translated : message, args);
  };
}
