import { Settings } from '../../shared/contributions';
import { urlSetting } from '../registry/registry';
import { DEFAULT_RECENT_LIMIT, recentLimit } from '../recent/recentModels';

/** The `boocode.*` settings as the extension uses them: typed, defaulted, limits applied. */
export interface SettingValues {
  /** Raw: the registry parses and reports it (`boocode.providers`). */
  readonly providers: unknown;
  readonly registryFile: string;
  readonly serverUrl: string;
  readonly opencodeUrl: string;
  /** At least 100 ms. */
  readonly requestTimeoutMs: number;
  /** At least 5 s. */
  readonly refreshIntervalSeconds: number;
  /** Ask before choosing a model that may stop one serving requests on its host. */
  readonly askBeforeSwap: boolean;
  /** How many Recent models the pickers show: 0 (off) to MAX_RECENT_LIMIT. */
  readonly recentModels: number;
}

export type SettingKey = keyof SettingValues & (typeof Settings)[Exclude<keyof typeof Settings, 'section'>];

/** package.json's contributes.configuration defaults (a unit test keeps the two equal). */
export const SETTING_DEFAULTS: SettingValues = {
  providers: [],
  registryFile: '',
  serverUrl: '',
  opencodeUrl: '',
  requestTimeoutMs: 3000,
  refreshIntervalSeconds: 30,
  askBeforeSwap: true,
  recentModels: DEFAULT_RECENT_LIMIT,
};

export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as readonly SettingKey[];

const MIN_TIMEOUT_MS = 100;
const MIN_REFRESH_SECONDS = 5;

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function count(value: unknown, fallback: number, min: number): number {
  return Math.max(min, typeof value === 'number' && Number.isFinite(value) ? value : fallback);
}

/**
 * Every setting from `get` (undefined: not set anywhere), with the contributed default for a value
 * that is absent or of the wrong type, so no caller meets `NaN` or a number where a URL belongs.
 */
export function readSettingValues(get: (key: SettingKey) => unknown): SettingValues {
  const providers = get(Settings.providers);
  return {
    providers: providers === undefined ? SETTING_DEFAULTS.providers : providers,
    registryFile: text(get(Settings.registryFile), SETTING_DEFAULTS.registryFile),
    serverUrl: text(get(Settings.serverUrl), SETTING_DEFAULTS.serverUrl),
    opencodeUrl: text(get(Settings.opencodeUrl), SETTING_DEFAULTS.opencodeUrl),
    requestTimeoutMs: count(get(Settings.requestTimeoutMs), SETTING_DEFAULTS.requestTimeoutMs, MIN_TIMEOUT_MS),
    refreshIntervalSeconds: count(get(Settings.refreshIntervalSeconds), SETTING_DEFAULTS.refreshIntervalSeconds, MIN_REFRESH_SECONDS),
    askBeforeSwap: typeof get(Settings.askBeforeSwap) === 'boolean' ? get(Settings.askBeforeSwap) === true : SETTING_DEFAULTS.askBeforeSwap,
    recentModels: recentLimit(get(Settings.recentModels)),
  };
}

/** What consumers read settings through; the host's reader is src/vscode/settings.ts, tests pass a plain object. */
export interface SettingsReader {
  values(): SettingValues;
  /** True when the value in effect for `boocode.<key>` comes from the workspace (the trust rule's input). */
  fromWorkspace(key: SettingKey): boolean;
  /** Calls `listener` after any of `keys` changed. */
  onDidChange(keys: readonly SettingKey[], listener: () => void): { dispose(): void };
}

export type UrlSettingKey = typeof Settings.serverUrl | typeof Settings.opencodeUrl;

/** `boocode.<key>` through the registry's URL rule. */
export function readUrlSetting(settings: SettingsReader, key: UrlSettingKey): ReturnType<typeof urlSetting> {
  return urlSetting(`${Settings.section}.${key}`, settings.values()[key]);
}
