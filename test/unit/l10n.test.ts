/**
 * Every message the extension shows goes through `t()` (src/shared/l10n.ts), so a translation can
 * replace it: each `t('...')` has its entry in l10n/bundle.l10n.json, each call's message is a
 * literal the export can see, and the VS Code calls that show text never take a bare literal.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type * as exportModule from '../../scripts/l10nExport.mjs';
import type { CatalogView } from '../../src/core/catalog/catalogView';
import { pickRows } from '../../src/core/catalog/pickRows';
import { pickerHtml } from '../../src/core/picker/pickerHtml';
import { describeHttpFailure } from '../../src/core/favorites/settingsApi';
import { bundleTranslator, format, setTranslator, t } from '../../src/shared/l10n';
import { reasonText, STATUS_WORDS } from '../../src/shared/display';
import { readL10nBundle } from '../../webview/l10nBundle';
import { rowAriaLabel } from '../../webview/rowText';
import type { ModelRow } from '../../webview/rows';

const root = path.resolve(__dirname, '..', '..', '..');
const loadExport = (): Promise<typeof exportModule> => import(pathToFileURL(path.join(root, 'scripts', 'l10nExport.mjs')).href) as Promise<typeof exportModule>;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(rel);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Text a person reads: a literal with a word in it, once `$(codicon)` names and URLs are taken out. */
function isWords(node: ts.Node): boolean {
  let text: string;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
  else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  else return false;
  return /[A-Za-z]{2,}/.test(text.replace(/\$\([\w~-]+\)/g, '').replace(/\b[a-z]+:\/\/\S*/g, ''));
}

/** VS Code calls whose string arguments (the message, then its buttons) a person reads. */
const SHOWING_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'setStatusBarMessage']);
/** Calls whose options object carries shown text. */
const OPTION_CALLS = new Set(['showQuickPick', 'showInputBox', 'showOpenDialog', 'showSaveDialog', 'withProgress']);
const SHOWN_OPTIONS = new Set(['title', 'placeHolder', 'placeholder', 'prompt', 'validationMessage', 'openLabel', 'saveLabel']);
/** Properties of a QuickPick, InputBox or status bar item that a person reads. */
const SHOWN_PROPERTIES = new Set(['title', 'placeholder', 'prompt', 'validationMessage', 'text', 'tooltip']);

/** Where src/vscode hands VS Code a bare literal to show. */
function bareLiterals(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node) => found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText(source)}`);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      if (SHOWING_CALLS.has(name)) node.arguments.filter(isWords).forEach(report);
      if (OPTION_CALLS.has(name)) {
        for (const arg of node.arguments) {
          if (!ts.isObjectLiteralExpression(arg)) continue;
          for (const prop of arg.properties) {
            if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && SHOWN_OPTIONS.has(prop.name.text) && isWords(prop.initializer)) report(prop);
          }
        }
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      if (SHOWN_PROPERTIES.has(node.left.name.text) && isWords(node.right)) report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Calls that write the Output channel: their lines stay English (D19). */
const LOG_CALLS = new Set(['log', 'debug', 'info', 'warn', 'error', 'trace', 'appendLine']);

/**
 * Sentences core and shared code may keep in English, each for a reason: matched by code, log-only,
 * or an invariant of the build that no user meets.
 */
const ENGLISH_ON_PURPOSE: readonly { readonly file: string; readonly starts: string; readonly why: string }[] = [
  { file: 'src/core/catalog/catalogService.ts', starts: 'No answer within ', why: "reasonText's NETWORK_CAUSES match it; the row shows t('It did not answer in time.')" },
  { file: 'src/core/catalog/providerLog.ts', starts: ' Some entries were skipped: ', why: 'ProviderStateLog writes the Output channel only' },
  { file: 'src/core/picker/pickerHtml.ts', starts: "The picker's ", why: 'thrown only if a build inlined "</script": l10nExport and the bundle check make that impossible' },
];

/**
 * Sentence-like literals outside t(): text that starts with a capital letter (a `${…}` counts as a
 * word, so `${what}: cancelled.` is one), has a space and ends with ".". Log calls are left alone.
 */
function sentenceLiterals(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const rel = file.split(path.sep).join('/');
  const found: string[] = [];
  const calleeName = (call: ts.CallExpression): string =>
    ts.isIdentifier(call.expression) ? call.expression.text : ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
  const logged = (node: ts.Node): boolean => {
    for (let p = node.parent; p !== undefined && !ts.isSourceFile(p); p = p.parent) if (ts.isCallExpression(p) && LOG_CALLS.has(calleeName(p))) return true;
    return false;
  };
  const visit = (node: ts.Node): void => {
    let words: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) words = node.text;
    else if (ts.isTemplateExpression(node)) words = node.head.text + node.templateSpans.map((span) => `X${span.literal.text}`).join('');
    const message = node.parent !== undefined && ts.isCallExpression(node.parent) && calleeName(node.parent) === 't' && node.parent.arguments[0] === node;
    if (words !== undefined && /^[A-Z]\S*\s[\s\S]*\.$/.test(words.trim()) && !message && !logged(node)) {
      const literal = ts.isTemplateExpression(node) ? node.head.text : (words ?? '');
      if (!ENGLISH_ON_PURPOSE.some((e) => e.file === rel && literal.startsWith(e.starts))) {
        found.push(`${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText(source).slice(0, 100)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Text written straight into the webview's JSX (`<p>Loading…</p>`): a word there is never translated. */
function jsxTexts(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const rel = file.split(path.sep).join('/');
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && /[A-Za-z]{2}/.test(node.text)) found.push(`${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.text.trim().slice(0, 100)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** What `scan` finds in a scratch source file made of `lines` (written under out/, then removed), without the `file:line: ` prefix. */
function findsIn(name: string, lines: readonly string[], scan: (file: string) => string[]): string[] {
  const file = path.join('out', name);
  fs.writeFileSync(path.join(root, file), lines.join('\n'));
  try {
    return scan(file).map((line) => line.split(': ').slice(1).join(': '));
  } finally {
    fs.rmSync(path.join(root, file));
  }
}

describe('host and webview messages are localisable (l10n/bundle.l10n.json)', () => {
  afterEach(() => setTranslator(undefined));

  it('has an entry in l10n/bundle.l10n.json for every t() message, and nothing stale (run `npm run l10n`)', async () => {
    const { scanMessages, bundleText, BUNDLE } = await loadExport();
    const { messages } = scanMessages(root);
    const bundle = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as Record<string, string>;
    const missing = [...messages].filter(([message]) => bundle[message] !== message).map(([message, where]) => `${where}: ${message}`);
    assert.deepEqual(missing, []);
    assert.deepEqual(Object.keys(bundle).filter((key) => !messages.has(key)), []);
    assert.equal(fs.readFileSync(BUNDLE, 'utf8'), bundleText(messages));
    assert.ok(messages.size > 50, `found ${messages.size} messages`);
  });

  it('takes only string literals as the message of t(), so the export sees each one', async () => {
    const { scanMessages } = await loadExport();
    assert.deepEqual(scanMessages(root).problems, []);
  });

  it('finds a message that lacks its entry, and a t() whose message is not a literal', async () => {
    const { scanMessages } = await loadExport();
    const scratch = fs.mkdtempSync(path.join(root, 'out', 'l10n-'));
    try {
      fs.mkdirSync(path.join(scratch, 'src'));
      fs.mkdirSync(path.join(scratch, 'webview'));
      fs.writeFileSync(path.join(scratch, 'src', 'a.ts'), "t('Hello {0}', name); t(`Plain`); t(message); other('x');\n");
      const { messages, problems } = scanMessages(scratch);
      assert.deepEqual([...messages.keys()], ['Hello {0}', 'Plain']);
      assert.deepEqual(problems, ['src/a.ts:1: t(message)']);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('hands VS Code no bare literal to show: messages, buttons, QuickPick and input box titles, status bar text', () => {
    assert.deepEqual(filesUnder('src/vscode').flatMap(bareLiterals), []);
  });

  it('flags a bare literal message or title, and leaves ids, commands and t() alone', () => {
    const lines = [
      "void vscode.window.showWarningMessage('Registry broken', t('Open Registry'));",
      "void vscode.window.showErrorMessage(t('Failed: {0}', why), 'Retry');",
      "void vscode.window.showQuickPick(items, { title: 'Pick one', placeHolder: t('Type'), matchOnDescription: true });",
      "item.text = `$(hubot) ${name}`; item.tooltip = `Model ${name}`; item.command = 'boocode.selectModel';",
      "void vscode.commands.executeCommand('workbench.action.focusNextPart');",
    ];
    assert.deepEqual(findsIn('l10n-sample.ts', lines, bareLiterals), ["'Registry broken'", "'Retry'", "title: 'Pick one'", 'item.tooltip = `Model ${name}`']);
  });

  it('leaves no sentence in src/core or src/shared outside t(), but for the few kept English on purpose', () => {
    assert.deepEqual([...filesUnder('src/core'), ...filesUnder('src/shared')].flatMap(sentenceLiterals), []);
  });

  it('leaves no sentence and no JSX text in the webview outside t()', () => {
    const files = filesUnder('webview');
    assert.deepEqual([...files.flatMap(sentenceLiterals), ...files.filter((f) => f.endsWith('.tsx')).flatMap(jsxTexts)], []);
  });

  it('flags JSX text with words, and leaves markup, punctuation and t() alone', () => {
    const lines = ['const a = <p>Loading models</p>;', "const b = <p>{t('Loading models')} · <b>{n}</b> ( )</p>;"];
    assert.deepEqual(findsIn('l10n-jsx.tsx', lines, jsxTexts), ['Loading models']);
  });

  it('flags a sentence outside t(), a `${name}: …` one too, and leaves t() messages, log lines and ids alone', () => {
    const lines = [
      "const a = 'The host closed the event stream; reconnecting.';",
      'const b = `${what}: the server answered HTTP ${status}.`;',
      "const c = t('The event stream was cancelled.'); const d = t('{0}: cancelled.', `${what}`);",
      "log('warn', 'Favorites are in sync with the server.'); this.deps.log('info', `The server has ${n}.`);",
      "const e = 'boocode.selectModel'; const f = 'Checking opencode'; const g = 'e.g.';",
      "const h = t('{0} failed', 'Provider is not registered.');",
    ];
    assert.deepEqual(findsIn('l10n-sentences.ts', lines, sentenceLiterals), [
      "'The host closed the event stream; reconnecting.'",
      '`${what}: the server answered HTTP ${status}.`',
      "'Provider is not registered.'",
    ]);
  });

  it('gives a settings-server failure in the bundle’s language, and byte for byte the same English without one', () => {
    const failure = { kind: 'status', status: 500, bodyText: '', headers: {} } as const;
    assert.equal(describeHttpFailure(failure, t('Reading favorites')), 'Reading favorites: the server answered HTTP 500.');
    setTranslator(bundleTranslator({ 'Reading favorites': 'Lecture des favoris', '{0}: the server answered HTTP {1}.': '{0} : le serveur a répondu HTTP {1}.' }));
    assert.equal(describeHttpFailure(failure, t('Reading favorites')), 'Lecture des favoris : le serveur a répondu HTTP 500.');
  });

  it('puts {0}, {1} in place as vscode.l10n.t does, in English and in a translation', () => {
    assert.equal(t('Checking {0}…', 'Sam'), 'Checking Sam…');
    assert.equal(format('{1} of {0}, {2}', ['a', 2]), '2 of a, {2}');
    setTranslator(bundleTranslator({ 'Checking {0}…': 'Vérification de {0}…' }));
    assert.equal(t('Checking {0}…', 'Sam'), 'Vérification de Sam…');
    assert.equal(t('Not reachable.'), 'Not reachable.', 'a message the bundle lacks stays English');
  });

  it('shows a core message and a webview row in the bundle’s language', () => {
    setTranslator(bundleTranslator({ Favorites: 'Favoris', 'Not reachable.': 'Injoignable.', 'on {0}': 'sur {0}', loaded: 'chargé' }));
    const entry = { id: 'sam/qwen3', provider: 'sam', model: 'qwen3', name: 'qwen3', loaded: true, favorite: true, active: false };
    const view = { favorites: [entry], recent: [], groups: [] } as unknown as CatalogView;
    assert.deepEqual(pickRows(view)[0], { kind: 'separator', label: 'Favoris', section: 'favorites' });
    const offline = { provider: 'sam', label: 'Sam', kind: 'llama-swap', state: { status: 'offline' }, models: [] } as const;
    assert.equal(reasonText(offline), 'Injoignable.');
    assert.equal(rowAriaLabel({ entry, host: 'Sam' } as unknown as ModelRow, false), 'qwen3, sur Sam, chargé');
    setTranslator(bundleTranslator({ offline: 'hors ligne' }));
    assert.equal(STATUS_WORDS.offline, 'hors ligne', 'words read at module load still follow a translator set later');
  });

  it('hands the page the bundle as data the view reads back, whatever its text says', () => {
    const bundle = { Favorites: 'Favoris</script><b>', 'Checking {0}…': '<img src=x>' };
    const html = pickerHtml({ nonce: 'n', css: '', script: '', l10n: bundle });
    assert.doesNotMatch(html, /Favoris<\/script>|<img/);
    const json = /<script type="application\/json" id="l10n">([^<]*)<\/script>/.exec(html)?.[1];
    assert.ok(json !== undefined);
    assert.deepEqual(readL10nBundle({ getElementById: (id) => (id === 'l10n' ? { textContent: json } : null) }), bundle);
    assert.equal(readL10nBundle({ getElementById: () => ({ textContent: '{"a": 1}' }) }), undefined);
    assert.doesNotMatch(pickerHtml({ nonce: 'n', css: '', script: '' }), /id="l10n"/);
  });
});
