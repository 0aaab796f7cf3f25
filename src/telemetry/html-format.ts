// Counts, dates and labels of the HTML report as people read them.

/** At most `max` characters (code points, never half of one), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** A count as people write it: 1,234,567; anything that is not a count reads 0. */
export function count(n: number): string {
  return (Number.isFinite(n) && n > 0 ? Math.round(n) : 0).toLocaleString('en-US');
}

/** A count in at most five characters, for the scale labels: 950, 9,999, 12k, 1.2M, 999k. */
export function compact(n: number): string {
  if (!Number.isFinite(n) || n < 10_000) return count(n);
  for (const [size, unit] of [
    [1e3, 'k'],
    [1e6, 'M'],
    [1e9, 'G'],
    [1e12, 'T'],
  ] as const) {
    const value = n / size;
    const shown = value < 100 ? Number(value.toFixed(1)) : Math.round(value);
    if (shown < 1000) return `${shown}${unit}`;
  }
  return n.toExponential(1);
}

export const plural = (n: number, one: string, many = `${one}s`) =>
  `${count(n)} ${n === 1 ? one : many}`;

export const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** The UTC midnight of an ISO date or timestamp, if it starts with a real date. */
export function dayOf(value: string | undefined): number | undefined {
  const match = DATE.exec(value ?? '');
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isFinite(time) && new Date(time).toISOString().startsWith(match[0])
    ? time
    : undefined;
}

export const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** An ISO timestamp as `2026-03-31 14:05` (UTC); anything else as its clean text. */
export function when(value: string | undefined): string {
  if (value === undefined || value === '') return '—';
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(value);
  return match ? [match[1], match[2]].filter(Boolean).join(' ') : value;
}
