/** A base URL without its trailing slashes, so `${base}/path` never has `//` (the one rule every caller uses). */
export function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
