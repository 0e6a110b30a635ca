/** The extension-host test entry (the one-window suite beside this file). */
import { runMochaFiles } from './runMochaFiles';

export function run(): Promise<void> {
  return runMochaFiles(__dirname);
}
