/**
 * The only file that touches `acquireVsCodeApi()`. Everything else gets the API from
 * `VsCodeApiContext`, so a test can hand the components a fake.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { FromWebview } from '../src/shared/protocol';
import type { PersistedState } from './viewState';

export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  /** Whatever the view saved last; untrusted shape, parse it before use. */
  getState(): unknown;
  setState(state: PersistedState): void;
}

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

let acquired: VsCodeApi | undefined;

/** `acquireVsCodeApi()` may be called once per page; later calls return the same wrapper. */
export function vscodeApi(): VsCodeApi {
  if (acquired === undefined) {
    const raw = acquireVsCodeApi();
    acquired = {
      postMessage: (message) => raw.postMessage(message),
      getState: () => raw.getState(),
      setState: (state) => {
        raw.setState(state);
      },
    };
  }
  return acquired;
}

export const VsCodeApiContext = createContext<VsCodeApi | undefined>(undefined);

export function useVsCodeApi(): VsCodeApi {
  const api = useContext(VsCodeApiContext);
  if (api === undefined) throw new Error('VsCodeApiContext is not provided');
  return api;
}
