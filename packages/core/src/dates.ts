/**
 * Dates in the layouts specs declare with `x-date-layout` (e.g. `YYYY-MM-DD HH:mm:ss`): a Date is
 * formatted in UTC; `YYYY`, `MM`, `DD`, `HH`, `mm`, `ss` and `SSS` are replaced, everything else is kept.
 */
const TOKENS = /YYYY|MM|DD|HH|mm|ss|SSS/g;

/** `date` in `layout`, in UTC; undefined for an invalid Date or a year outside 0–9999. */
export function formatDateLayout(date: Date, layout: string): string | undefined {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const parts: Record<string, string> = {
    YYYY: pad(year, 4),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
    SSS: pad(date.getUTCMilliseconds(), 3),
  };
  return layout.replace(TOKENS, (token) => parts[token]!);
}
