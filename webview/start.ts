/** The page's starter (dist/start.js) on a page the host drew: see startup.ts. */
import { startAfterFirstFrame } from './startup';

startAfterFirstFrame();
