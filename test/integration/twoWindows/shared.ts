import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BooCodeModelsApi } from '../../../boocode-models';

/** Files the two windows and the harness talk through (the folder is BOOCODE_TWO_WINDOWS_DIR). */
export const twoWindowsDir = (): string => {
  const dir = process.env['BOOCODE_TWO_WINDOWS_DIR'];
  if (dir === undefined) throw new Error('BOOCODE_TWO_WINDOWS_DIR is not set');
  return dir;
};
export const signal = (name: string, content = ''): void => fs.writeFileSync(path.join(twoWindowsDir(), name), content);
export const signalled = (name: string): boolean => fs.existsSync(path.join(twoWindowsDir(), name));

export async function api(): Promise<BooCodeModelsApi> {
  const extension = vscode.extensions.getExtension<BooCodeModelsApi>('boocode.boocode-models');
  if (!extension) throw new Error('boocode.boocode-models is not installed');
  return extension.activate();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
