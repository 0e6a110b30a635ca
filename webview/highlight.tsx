import type { ComponentChild } from 'preact';
import { matchRanges, type Query } from './fuzzy';

/** Text with the query's matches wrapped in spans; always text nodes, never markup. */
export function Highlighted({ text, query }: { text: string; query: Query }) {
  const ranges = matchRanges(text, query);
  if (ranges.length === 0) return <>{text}</>;
  const parts: ComponentChild[] = [];
  let at = 0;
  for (const range of ranges) {
    if (range.start > at) parts.push(text.slice(at, range.start));
    parts.push(<span class="match">{text.slice(range.start, range.end)}</span>);
    at = range.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
