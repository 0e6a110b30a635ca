/** Mounts the picker into `#root` with the real VS Code API. */
import { render } from 'preact';
import { applyL10nBundle } from './l10nBundle';
import { Picker } from './picker';
import { vscodeApi, VsCodeApiContext } from './vscodeApi';

applyL10nBundle(document);
const root = document.getElementById('root');
if (root === null) throw new Error('The picker needs a #root element');
// The host may set a shorter request timeout (tests do).
const timeout = Number(root.dataset.requestTimeoutMs);

render(
  <VsCodeApiContext.Provider value={vscodeApi()}>
    <Picker {...(Number.isFinite(timeout) && timeout > 0 ? { requestTimeoutMs: timeout } : {})} />
  </VsCodeApiContext.Provider>,
  root,
);
