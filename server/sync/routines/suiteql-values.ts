/** SuiteQL renders every value as text: dates as M/D/YYYY, booleans as T/F. */

export function suiteqlDate(value: string | undefined): string | null {
  if (!value) return null;
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (!match) return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
  return `${match[3]}-${match[1]!.padStart(2, '0')}-${match[2]!.padStart(2, '0')}`;
}

export function suiteqlBoolean(value: string | undefined): boolean {
  return value === 'T' || value === 'true';
}
