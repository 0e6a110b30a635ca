// Types for esbuild.config.mjs, for the TypeScript tests and the bench that import it.
import type { BuildOptions } from 'esbuild';

export interface BuildOptionSet {
  readonly host: BuildOptions;
  readonly prerender: BuildOptions;
  readonly webview: BuildOptions;
}

export function buildOptions(options?: { production?: boolean; root?: string }): BuildOptionSet;
export function codiconStylesheet(root?: string): string;
export function assertInlinable(file: string, text: string): void;
