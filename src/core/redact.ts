/** Replaces every occurrence of each secret (4+ characters) with a marker, for anything that is logged. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('«redacted»');
  }
  return out;
}
