/**
 * Dates as SuiteQL speaks them: Oracle `TO_DATE` format models for literals, and the account's
 * default date format (M/D/YYYY) for rendering. The emulated account's time zone is UTC.
 */

const TOKENS = [
  'YYYY',
  'RRRR',
  'HH24',
  'HH12',
  'MONTH',
  'MON',
  'A.M.',
  'P.M.',
  'YY',
  'RR',
  'MM',
  'DD',
  'HH',
  'MI',
  'SS',
  'FF',
  'AM',
  'PM',
] as const;
type Token = (typeof TOKENS)[number];

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const TOKEN_PATTERN: Record<Token, string> = {
  YYYY: '(\\d{4})',
  RRRR: '(\\d{4})',
  YY: '(\\d{2})',
  RR: '(\\d{2})',
  MM: '(\\d{1,2})',
  MON: '([A-Za-z]{3})',
  MONTH: '([A-Za-z]+)',
  DD: '(\\d{1,2})',
  HH24: '(\\d{1,2})',
  HH12: '(\\d{1,2})',
  HH: '(\\d{1,2})',
  MI: '(\\d{1,2})',
  SS: '(\\d{1,2})',
  FF: '(\\d{1,9})',
  AM: '([AaPp]\\.?[Mm]\\.?)',
  PM: '([AaPp]\\.?[Mm]\\.?)',
  'A.M.': '([AaPp]\\.?[Mm]\\.?)',
  'P.M.': '([AaPp]\\.?[Mm]\\.?)',
};

export class DateFormatError extends Error {}

/** Parses `text` with an Oracle format model (`YYYY-MM-DD HH24:MI:SS` and the like) as UTC. */
export function parseOracleDate(text: string, format: string): Date {
  const tokens: Token[] = [];
  let pattern = '^\\s*';
  let at = 0;
  while (at < format.length) {
    const rest = format.slice(at).toUpperCase();
    const token = TOKENS.find((t) => rest.startsWith(t));
    if (token) {
      tokens.push(token);
      pattern += TOKEN_PATTERN[token];
      at += token.length;
      continue;
    }
    const char = format.charAt(at);
    if (char === '"') {
      const end = format.indexOf('"', at + 1);
      if (end < 0) throw new DateFormatError(`unterminated quoted text in date format '${format}'`);
      pattern += escapeRegExp(format.slice(at + 1, end));
      at = end + 1;
      continue;
    }
    if (/[A-Za-z0-9]/.test(char) && char.toUpperCase() !== 'T') {
      throw new DateFormatError(`date format element '${format.slice(at)}' is not supported in '${format}'`);
    }
    pattern += /\s/.test(char) ? '\\s+' : escapeRegExp(char);
    at++;
  }
  const match = new RegExp(`${pattern}\\s*$`, 'i').exec(text);
  if (!match) throw new DateFormatError(`date '${text}' does not match format '${format}'`);

  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let meridian: 'AM' | 'PM' | null = null;
  tokens.forEach((token, index) => {
    const value = match[index + 1] ?? '';
    switch (token) {
      case 'YYYY':
      case 'RRRR':
        year = Number(value);
        break;
      case 'YY':
      case 'RR':
        year = 2000 + Number(value);
        break;
      case 'MM':
        month = Number(value);
        break;
      case 'MON':
      case 'MONTH': {
        const found = MONTHS.indexOf(value.slice(0, 3).toUpperCase());
        if (found < 0) throw new DateFormatError(`month '${value}' is not valid`);
        month = found + 1;
        break;
      }
      case 'DD':
        day = Number(value);
        break;
      case 'HH24':
      case 'HH12':
      case 'HH':
        hour = Number(value);
        break;
      case 'MI':
        minute = Number(value);
        break;
      case 'SS':
        second = Number(value);
        break;
      case 'FF':
        millis = Math.floor(Number(`0.${value}`) * 1000);
        break;
      default:
        meridian = value.toUpperCase().startsWith('P') ? 'PM' : 'AM';
    }
  });
  if (meridian) {
    if (hour < 1 || hour > 12) throw new DateFormatError(`hour '${hour}' is not valid with AM/PM`);
    hour = (hour % 12) + (meridian === 'PM' ? 12 : 0);
  }
  return checkedDate(year, month, day, hour, minute, second, millis, text);
}

function checkedDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  text: string,
): Date {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new DateFormatError(`'${text}' is not a valid date`);
  }
  return date;
}

const NETSUITE_DATE_FORMATS = [
  'MM/DD/YYYY',
  'MM/DD/YYYY HH:MI AM',
  'MM/DD/YYYY HH:MI:SS AM',
  'YYYY-MM-DD',
  'YYYY-MM-DD HH24:MI:SS',
  'YYYY-MM-DD"T"HH24:MI:SS',
];

/** A date typed as text in a filter: the account date format or ISO, with or without time. */
export function parseDateText(text: string): Date {
  const iso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})$/.exec(text.trim());
  if (iso) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  for (const format of NETSUITE_DATE_FORMATS) {
    try {
      return parseOracleDate(text, format);
    } catch {
      // try the next format
    }
  }
  throw new DateFormatError(`'${text}' is not a date in a supported format (M/D/YYYY or YYYY-MM-DD)`);
}

/** The account's default date rendering, e.g. `1/31/2026`. */
export function formatAccountDate(date: Date): string {
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
}

/** `YYYY-MM-DD HH:MI:SS.mmm` in UTC, for PostgreSQL timestamp parameters. */
export function utcTimestampText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
