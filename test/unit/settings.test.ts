/**
 * The typed settings reader's pure half: the values every consumer gets, from whatever VS Code
 * hands back (unset, a wrong type, out of range), and the URL settings read through a plain object.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSettingValues, readUrlSetting, SETTING_DEFAULTS, SETTING_KEYS, type SettingKey, type SettingsReader, type SettingValues } from '../../src/core/common/settings';
import { trimTrailingSlashes } from '../../src/core/common/url';
import { Settings } from '../../src/shared/contributions';

const root = path.resolve(__dirname, '..', '..', '..');
const contributed = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } })
  .contributes.configuration.properties;

const from = (set: Partial<Record<SettingKey, unknown>>) => readSettingValues((key) => set[key]);

function reader(values: Partial<SettingValues>): SettingsReader {
  return { values: () => ({ ...SETTING_DEFAULTS, ...values }), fromWorkspace: () => false, onDidChange: () => ({ dispose: () => undefined }) };
}

describe('settings reader', () => {
  it('reads every boocode.* setting package.json contributes, with the same defaults', () => {
    const prefix = `${Settings.section}.`;
    assert.deepEqual(Object.keys(contributed).map((key) => key.slice(prefix.length)).sort(), [...SETTING_KEYS].sort());
    for (const key of SETTING_KEYS) assert.deepEqual(SETTING_DEFAULTS[key], contributed[`${prefix}${key}`]?.default, key);
  });

  it('gives the defaults when nothing is set', () => {
    assert.deepEqual(from({}), SETTING_DEFAULTS);
  });

  it('keeps values of the right type and replaces values of the wrong type by the default', () => {
    const set = from({ serverUrl: 'http://127.0.0.1:7000', registryFile: '~/fleet.json', requestTimeoutMs: 800, refreshIntervalSeconds: 12, providers: [{ id: 'lab' }], askBeforeSwap: false, recentModels: 0 });
    assert.deepEqual(set, {
      serverUrl: 'http://127.0.0.1:7000',
      registryFile: '~/fleet.json',
      opencodeUrl: '',
      requestTimeoutMs: 800,
      refreshIntervalSeconds: 12,
      providers: [{ id: 'lab' }],
      askBeforeSwap: false,
      recentModels: 0,
    });
    const wrong = from({ serverUrl: 7000, opencodeUrl: ['x'], requestTimeoutMs: '800', refreshIntervalSeconds: Number.NaN, askBeforeSwap: 'no', recentModels: 'many' });
    assert.equal(wrong.askBeforeSwap, true, 'a question that protects other people\'s requests stays on unless it is turned off');
    assert.equal(wrong.recentModels, 5);
    // Beyond the contributed range (a hand-edited settings.json): held to it, whole numbers.
    assert.equal(from({ recentModels: 500 }).recentModels, 20);
    assert.equal(from({ recentModels: -3 }).recentModels, 0);
    assert.equal(from({ recentModels: 3.7 }).recentModels, 3);
    assert.equal(wrong.serverUrl, '');
    assert.equal(wrong.opencodeUrl, '');
    assert.equal(wrong.requestTimeoutMs, 3000);
    assert.equal(wrong.refreshIntervalSeconds, 30);
  });

  it('passes boocode.providers on as written, for the registry to report what is wrong with it', () => {
    assert.equal(from({ providers: 'not a list' }).providers, 'not a list');
  });

  it('never lets a timeout drop below 100 ms or a refresh below 5 s', () => {
    const low = from({ requestTimeoutMs: 1, refreshIntervalSeconds: 0 });
    assert.equal(low.requestTimeoutMs, 100);
    assert.equal(low.refreshIntervalSeconds, 5);
  });

  it('reads a URL setting trimmed and without trailing slashes, and names the setting (not the value) when it is unusable', () => {
    assert.deepEqual(readUrlSetting(reader({ serverUrl: ' http://127.0.0.1:7000// ' }), Settings.serverUrl), { url: 'http://127.0.0.1:7000' });
    assert.equal(readUrlSetting(reader({}), Settings.opencodeUrl), undefined);
    const bad = readUrlSetting(reader({ opencodeUrl: 'ftp://user:hunter2@host' }), Settings.opencodeUrl);
    assert.ok(bad !== undefined && 'problem' in bad);
    assert.match(bad.problem, /boocode\.opencodeUrl/);
    assert.doesNotMatch(bad.problem, /hunter2/);
  });
});

describe('trimTrailingSlashes', () => {
  it('drops every trailing slash and nothing else', () => {
    assert.equal(trimTrailingSlashes('http://127.0.0.1:8080///'), 'http://127.0.0.1:8080');
    assert.equal(trimTrailingSlashes('http://127.0.0.1:8080/v1/'), 'http://127.0.0.1:8080/v1');
    assert.equal(trimTrailingSlashes('http://127.0.0.1:8080/v1'), 'http://127.0.0.1:8080/v1');
    assert.equal(trimTrailingSlashes(''), '');
  });
});
