/**
 * SOQL relative date literals (TODAY, LAST_N_DAYS:n, …) as half-open day ranges [start, end),
 * evaluated in UTC with weeks starting on Sunday (the emulated org's locale is en_US, time zone
 * GMT). Fiscal-period literals are not emulated.
 */

export interface DayRange {
  /** First day inside the range, 'YYYY-MM-DD'. */
  start: string;
  /** First day after the range, 'YYYY-MM-DD'. */
  end: string;
}

const DAY_MS = 86_400_000;

function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}
function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
function monthStart(year: number, month: number): number {
  return Math.floor(Date.UTC(year, month, 1) / DAY_MS);
}

function range(start: number, end: number): DayRange {
  return { start: dayText(start), end: dayText(end) };
}

/** The range a literal denotes at `now`, or null when the literal is not emulated. */
export function dateLiteralRange(literal: string, now: Date, n?: number): DayRange | null {
  const today = dayNumber(now);
  const weekStart = today - now.getUTCDay();
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const quarterMonth = month - (month % 3);
  const months = (offset: number) => monthStart(year, month + offset);
  const quarters = (offset: number) => monthStart(year, quarterMonth + offset * 3);
  const years = (offset: number) => monthStart(year + offset, 0);

  switch (literal.toUpperCase()) {
    case 'YESTERDAY':
      return range(today - 1, today);
    case 'TODAY':
      return range(today, today + 1);
    case 'TOMORROW':
      return range(today + 1, today + 2);
    case 'LAST_WEEK':
      return range(weekStart - 7, weekStart);
    case 'THIS_WEEK':
      return range(weekStart, weekStart + 7);
    case 'NEXT_WEEK':
      return range(weekStart + 7, weekStart + 14);
    case 'LAST_MONTH':
      return range(months(-1), months(0));
    case 'THIS_MONTH':
      return range(months(0), months(1));
    case 'NEXT_MONTH':
      return range(months(1), months(2));
    case 'LAST_90_DAYS':
      return range(today - 90, today + 1);
    case 'NEXT_90_DAYS':
      return range(today + 1, today + 91);
    case 'LAST_QUARTER':
      return range(quarters(-1), quarters(0));
    case 'THIS_QUARTER':
      return range(quarters(0), quarters(1));
    case 'NEXT_QUARTER':
      return range(quarters(1), quarters(2));
    case 'LAST_YEAR':
      return range(years(-1), years(0));
    case 'THIS_YEAR':
      return range(years(0), years(1));
    case 'NEXT_YEAR':
      return range(years(1), years(2));
  }
  if (n === undefined) return null;
  const name = literal.toUpperCase().replace(/:.*$/, '');
  switch (name) {
    case 'LAST_N_DAYS':
      return range(today - n, today + 1);
    case 'NEXT_N_DAYS':
      return range(today + 1, today + 1 + n);
    case 'N_DAYS_AGO':
      return range(today - n, today - n + 1);
    case 'LAST_N_WEEKS':
      return range(weekStart - 7 * n, weekStart);
    case 'NEXT_N_WEEKS':
      return range(weekStart + 7, weekStart + 7 + 7 * n);
    case 'N_WEEKS_AGO':
      return range(weekStart - 7 * n, weekStart - 7 * n + 7);
    case 'LAST_N_MONTHS':
      return range(months(-n), months(0));
    case 'NEXT_N_MONTHS':
      return range(months(1), months(1 + n));
    case 'N_MONTHS_AGO':
      return range(months(-n), months(-n + 1));
    case 'LAST_N_QUARTERS':
      return range(quarters(-n), quarters(0));
    case 'NEXT_N_QUARTERS':
      return range(quarters(1), quarters(1 + n));
    case 'N_QUARTERS_AGO':
      return range(quarters(-n), quarters(-n + 1));
    case 'LAST_N_YEARS':
      return range(years(-n), years(0));
    case 'NEXT_N_YEARS':
      return range(years(1), years(1 + n));
    case 'N_YEARS_AGO':
      return range(years(-n), years(-n + 1));
  }
  return null;
}
