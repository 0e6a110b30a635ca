/** Ids of everything the extension contributes; package.json must use the same strings. */
export const Commands = {
  selectModel: 'boocode.selectModel',
  refreshModels: 'boocode.refreshModels',
  toggleFavorite: 'boocode.toggleFavorite',
  copyModelId: 'boocode.copyModelId',
  openRegistry: 'boocode.openRegistry',
  setDeepSeekApiKey: 'boocode.setDeepSeekApiKey',
  setServerToken: 'boocode.setServerToken',
  showLog: 'boocode.showLog',
  addProvider: 'boocode.addProvider',
  pushToOpencode: 'boocode.pushToOpencode',
  openOpencode: 'boocode.openOpencode',
  pushToBooCoder: 'boocode.pushToBooCoder',
  unloadModel: 'boocode.unloadModel',
  showHiddenModels: 'boocode.showHiddenModels',
  unloadAllModels: 'boocode.unloadAllModels',
  nextFavoriteModel: 'boocode.nextFavoriteModel',
  previousFavoriteModel: 'boocode.previousFavoriteModel',
  nextRecentModel: 'boocode.nextRecentModel',
  previousRecentModel: 'boocode.previousRecentModel',
} as const;

export const Views = {
  container: 'boocode',
  modelPicker: 'boocode.modelPicker',
} as const;

export const Settings = {
  section: 'boocode',
  providers: 'providers',
  registryFile: 'registryFile',
  serverUrl: 'serverUrl',
  opencodeUrl: 'opencodeUrl',
  requestTimeoutMs: 'requestTimeoutMs',
  refreshIntervalSeconds: 'refreshIntervalSeconds',
  askBeforeSwap: 'askBeforeSwap',
  recentModels: 'recentModels',
} as const;

export const Secrets = {
  deepseekApiKey: 'boocode.deepseekApiKey',
  serverToken: 'boocode.serverToken',
  opencodePassword: 'boocode.opencodePassword',
} as const;
