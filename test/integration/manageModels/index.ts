/** The extension-host entry for the "Manage Models" scenario (see test/harness/runManageModels.ts). */
import { runMochaFiles } from '../runMochaFiles';

export function run(): Promise<void> {
  return runMochaFiles(__dirname);
}
