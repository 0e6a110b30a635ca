/**
 * The page's one script when the host drew the first screen into `#root` (webview/prerender.tsx):
 * it loads the picker's bundle (dist/webview.js, its URL in `data-bundle`) once the frame that
 * shows that markup is drawn, so the bundle is neither in the page VS Code carries to the
 * webview nor on the way to the first rows. VS Code shows a webview's frame at the page's load
 * event (a bundle run or loaded before it would hold it back); the bundle is requested after the
 * next animation frame and the tasks already queued for after it (code-server runs the page on
 * the workbench's own thread). A frame that draws nothing (hidden as it loads) gets no animation
 * frame: the bundle is then requested after FIRST_FRAME_WAIT_MS anyway.
 */
import { FIRST_FRAME_WAIT_MS } from '../src/shared/prerender';
import { recordEarlyInput } from './earlyInput';
import { afterNextFrame } from './nextFrame';

export function afterFirstFrame(run: () => void, win: Window = window): void {
  let started = false;
  const once = () => {
    if (started) return;
    started = true;
    run();
  };
  const afterFrame = () => {
    void afterNextFrame(win).then(once);
    win.setTimeout(once, FIRST_FRAME_WAIT_MS);
  };
  if (win.document.readyState !== 'complete') win.addEventListener('load', afterFrame, { once: true });
  else afterFrame();
}

/** Loads the bundle named by this script's `data-bundle` with this script's nonce (the CSP lets only scripts with it run). */
export function startAfterFirstFrame(doc: Document = document): void {
  const self = doc.currentScript instanceof HTMLScriptElement ? doc.currentScript : undefined;
  const src = self?.dataset['bundle'];
  if (self === undefined || src === undefined) throw new Error('The starter needs its script element and a data-bundle URL');
  const nonce = self.nonce;
  const win = doc.defaultView ?? window;
  // What the user does before the view runs is kept for it (earlyInput.ts).
  recordEarlyInput(win);
  afterFirstFrame(() => {
    const script = doc.createElement('script');
    script.nonce = nonce;
    script.src = src;
    script.onerror = () => console.error(`The picker's script (${src}) could not be loaded: the list is not interactive.`);
    doc.body.append(script);
  }, win);
}
