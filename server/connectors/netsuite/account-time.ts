/**
 * SuiteQL prints datetimes as wall-clock text in the time zone of the integration user's
 * preferences ('YYYY-MM-DD HH24:MI:SS' through TO_CHAR). These helpers move between that text
 * and UTC instants, and step the text by whole seconds for the pull watermark.
 */

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The wall-clock text read as if it were UTC, in milliseconds; null when it is not such text. */
function wallClockMillis(text: string): number | null {
  const match = WALL_CLOCK.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return null;
  return millis;
}

function formatWallClock(millis: number): string {
  return new Date(millis).toISOString().slice(0, 19).replace('T', ' ');
}

export function isWallClockText(text: string): boolean {
  return wallClockMillis(text) !== null;
}

/** The wall-clock text one second later. */
export function nextSecond(text: string): string {
  const millis = wallClockMillis(text);
  if (millis === null) throw new RangeError(`not a 'YYYY-MM-DD HH24:MI:SS' datetime: ${text}`);
  return formatWallClock(millis + 1000);
}

/** Throws a RangeError for a name Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone });
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `utcMillis`. */
function offsetMillis(utcMillis: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMillis));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return local - Math.floor(utcMillis / 1000) * 1000;
}

/** The wall-clock text in `timeZone` of the instant `utcMillis`, cut to the whole second. */
export function wallClockAt(utcMillis: number, timeZone: string): string {
  const second = Math.floor(utcMillis / 1000) * 1000;
  return formatWallClock(timeZone === 'UTC' ? second : second + offsetMillis(second, timeZone));
}

/** The UTC instant (ISO 8601) of wall-clock text in `timeZone`. In the hour a clock is set back,
 *  the earlier of the two instants is taken. */
export function wallClockToIso(text: string, timeZone: string): string {
  const local = wallClockMillis(text);
  if (local === null) throw new RangeError(`not a 'YYYY-MM-DD HH24:MI:SS' datetime: ${text}`);
  if (timeZone === 'UTC') return new Date(local).toISOString();
  const firstGuess = local - offsetMillis(local, timeZone);
  const offset = offsetMillis(firstGuess, timeZone);
  return new Date(local - offset).toISOString();
}
