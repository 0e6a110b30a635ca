/** The extension-host entry for the untrusted-workspace scenario (see test/harness/runUntrusted.ts). */
import { runMochaFiles } from '../runMochaFiles';

export function run(): Promise<void> {
  return runMochaFiles(__dirname);
}
