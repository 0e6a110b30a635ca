import * as vscode from 'vscode';
import type { BooCodeModelsApi, Catalog } from '../../boocode-models';
import type { FavoritesSync } from '../core/favorites/favoritesSync';
import type { ModelHub } from '../core/hub/modelHub';

export function createApi(hub: ModelHub, favorites: FavoritesSync, disposables: vscode.Disposable[]): BooCodeModelsApi {
  const activeChanged = new vscode.EventEmitter<string | undefined>();
  disposables.push(activeChanged);
  const sub = hub.onDidChangeActiveModel((id) => activeChanged.fire(id));
  disposables.push({ dispose: () => sub.dispose() });
  const catalogChanged = new vscode.EventEmitter<void>();
  disposables.push(catalogChanged);
  const catalogSub = hub.onDidChange(() => catalogChanged.fire());
  disposables.push({ dispose: () => catalogSub.dispose() });
  return {
    getActiveModel: () => hub.getActiveModel(),
    setActiveModel: (id) => hub.setActiveModel(id),
    onDidChangeActiveModel: activeChanged.event,
    resolveModel: (id) => {
      const route = hub.resolveRoute(id);
      if (!route.ok) throw new Error(route.reason);
      const { ok: _ok, ...resolved } = route;
      return resolved;
    },
    getCatalog: (): Catalog => {
      const view = hub.view();
      return {
        favorites: view.favorites,
        recent: view.recent,
        groups: view.groups.map((g) => ({ provider: g.provider, label: g.label, state: g.state, models: g.models })),
        hidden: view.hidden?.models ?? [],
      };
    },
    refresh: () => hub.refresh(),
    toggleFavorite: (id) => hub.toggleFavorite(id),
    getFavorites: () => favorites.list(),
    onDidChangeCatalog: catalogChanged.event,
    unloadModel: (id) => hub.unloadModel(id),
  };
}
