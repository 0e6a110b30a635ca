/**
 * Every title, name and description VS Code shows for the extension's contributions comes from
 * package.nls.json (so a translation can replace it), and nothing there is stale.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** Keys whose string values VS Code shows to a person, wherever they stand in package.json. */
const SHOWN = new Set([
  'displayName', 'description', 'markdownDescription', 'title', 'shortTitle', 'name', 'contextualTitle', 'category',
  'label', 'altText', 'deprecationMessage', 'markdownDeprecationMessage', 'patternErrorMessage', 'errorMessage',
]);

function shownStrings(value: unknown, at: string, out: Array<[string, string]>): Array<[string, string]> {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === 'string' && /enum(Item)?(Descriptions|Labels)$/.test(at)) out.push([`${at}[${i}]`, item]);
      else shownStrings(item, `${at}[${i}]`, out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && SHOWN.has(key)) out.push([`${at}.${key}`, item]);
      else shownStrings(item, `${at}.${key}`, out);
    }
  }
  return out;
}

describe('contributions are localisable (package.nls.json)', () => {
  const manifest = readJson('package.json') as Record<string, unknown>;
  const nls = readJson('package.nls.json') as Record<string, string>;
  const { name: _packageName, ...shownPart } = manifest; // `name` at the top is the package id
  const shown = shownStrings(shownPart, '', []).filter(([at]) => !at.startsWith('.scripts') && !at.startsWith('.repository'));

  it('names every shown contribution string by a %key% that package.nls.json holds', () => {
    const literal = shown.filter(([, text]) => !/^%[^%]+%$/.test(text));
    assert.deepEqual(literal.map(([at, text]) => `${at}: ${text}`), []);
    const missing = shown.map(([, text]) => text.slice(1, -1)).filter((key) => typeof nls[key] !== 'string' || nls[key] === '');
    assert.deepEqual(missing, []);
    assert.ok(shown.length > 30, `found ${shown.length} shown strings`);
  });

  it('keeps no entry in package.nls.json that nothing uses', () => {
    const used = new Set(shown.map(([, text]) => text.slice(1, -1)));
    assert.deepEqual(Object.keys(nls).filter((key) => !used.has(key)), []);
  });
});
