/**
 * The secrets a request carries, so that what the other side answers can be redacted before any
 * of it is cut: a host can echo only what it was sent. `Authorization` as sent, its credentials
 * without the scheme, and a basic password decoded; any header named like a key or token.
 */
export function secretsSent(headers: Readonly<Record<string, string>> | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      out.push(value);
      const space = value.indexOf(' ');
      const credentials = space < 0 ? value : value.slice(space + 1).trim();
      out.push(credentials);
      if (/^basic$/i.test(value.slice(0, space))) {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        out.push(decoded, ...(colon >= 0 ? [decoded.slice(colon + 1)] : []));
      }
    } else if (/key|token|secret|password/.test(lower)) {
      out.push(value);
    }
  }
  // Longest first: a password inside its own basic credentials is replaced as the whole.
  return out.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}
