import { useLayoutEffect, useState } from 'preact/hooks';
import { App } from './app';
import type { CachedSnapshot } from './boot';
import { createHostClient, HostClientContext } from './hostClient';
import { createViewStateStore, ViewStateContext } from './viewState';
import { useVsCodeApi } from './vscodeApi';
import { t } from '../src/shared/l10n';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface PickerProps {
  requestTimeoutMs?: number;
  /** The snapshot the page carries (boot.ts): the view starts from it, and says `ready` with its revision. */
  initial?: CachedSnapshot | undefined;
}

/**
 * Wires the view to whatever `VsCodeApiContext` provides (the real API, or a test's fake):
 * starts from the snapshot in the page so rows paint at once, listens to the host, then says
 * `ready` with that snapshot's revision; the host answers with a newer (or the whole) snapshot,
 * or `current`.
 */
export function Picker({ requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS, initial }: PickerProps) {
  const api = useVsCodeApi();
  const [wiring] = useState(() => {
    const store = createViewStateStore(api, api.getState());
    const client = createHostClient(api, { timeoutMs: requestTimeoutMs, initial });
    return { store, client };
  });

  useLayoutEffect(() => {
    const { client, store } = wiring;
    const onMessage = (event: MessageEvent<unknown>) => client.receive(event.data);
    // The view is going away: nothing will answer pending requests, and the state must be written now.
    const onHide = () => {
      client.dispose(t('The view was closed'));
      store.flush();
    };
    window.addEventListener('message', onMessage);
    window.addEventListener('pagehide', onHide);
    const revision = client.revision();
    api.postMessage(revision !== undefined ? { type: 'ready', revision } : { type: 'ready' });
    return () => {
      window.removeEventListener('message', onMessage);
      window.removeEventListener('pagehide', onHide);
      onHide();
    };
  }, [api, wiring]);

  return (
    <HostClientContext.Provider value={wiring.client}>
      <ViewStateContext.Provider value={wiring.store}>
        <App />
      </ViewStateContext.Provider>
    </HostClientContext.Provider>
  );
}
