// `npm run l10n`: writes l10n/bundle.l10n.json, every message the extension shows (English, key =
// message), as `@vscode/l10n-dev export` would: the string-literal first arguments of `t(...)`
// calls (src/shared/l10n.ts) in src/ and webview/. Translators copy it to bundle.l10n.<lang>.json.
// test/unit/l10n.test.ts runs the same scan and fails when the file is stale or a call is not a literal.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'l10n', 'bundle.l10n.json');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether this call is the shared `t(...)` (or `l10n.t(...)`, should anyone call VS Code's directly). */
function isTranslateCall(node) {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 't';
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && ts.isIdentifier(callee.expression) && callee.expression.text === 'l10n';
}

/**
 * Every `t(...)` call in src/ and webview/: `messages` holds the literal first arguments,
 * `problems` the calls whose first argument is not a literal (extraction cannot see them).
 */
export function scanMessages(root = ROOT) {
  const messages = new Map();
  const problems = [];
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'webview'))]) {
    const text = readFileSync(file, 'utf8');
    if (!/\bt\(/.test(text)) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node) => {
      if (ts.isCallExpression(node) && isTranslateCall(node)) {
        const first = node.arguments[0];
        const where = `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (first !== undefined && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          if (!messages.has(first.text)) messages.set(first.text, where);
        } else problems.push(`${where}: ${node.getText(source).slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, problems };
}

/** The bundle's text: every message once, sorted, key = value. */
export function bundleText(messages) {
  const sorted = [...messages.keys()].sort();
  return `${JSON.stringify(Object.fromEntries(sorted.map((m) => [m, m])), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { messages, problems } = scanMessages();
  if (problems.length > 0) {
    console.error(`t() needs a string literal as its first argument:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  writeFileSync(BUNDLE, bundleText(messages));
  console.log(`${relative(ROOT, BUNDLE)}: ${messages.size} messages`);
}
