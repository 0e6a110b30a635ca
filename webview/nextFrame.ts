/**
 * Resolves once the next animation frame is drawn and the tasks already queued for after it have
 * run: where Preact runs a render's effects, and where a frame's content is on screen.
 */
export function afterNextFrame(win: Window): Promise<void> {
  return new Promise((done) => win.requestAnimationFrame(() => win.setTimeout(() => win.setTimeout(done, 0), 0)));
}
