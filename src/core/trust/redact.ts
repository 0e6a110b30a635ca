import { printable, shorten } from '../common/text';

/** Replaces every occurrence of each secret (4+ characters) with a marker, for anything that is logged. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('«redacted»');
  }
  return out;
}

/**
 * Text from a host, a server or a file, made fit to show and shortened to `max` code points, in
 * the one safe order: unsafe characters out (one inside a secret would hide it from redaction),
 * then every secret redacted, then the cut (a secret straddling the cut would leave its start).
 */
export function shownText(text: string, max: number, secrets: Iterable<string | undefined>): string {
  return shorten(redact(printable(text), secrets), max);
}

/**
 * Credentials written into a URL (`scheme://user:password@host`) masked, wherever they stand in
 * the text: a password typed into a URL is no secret the redactor knows, yet must not be shown.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']*@/giu, '$1«credentials»@');
}
