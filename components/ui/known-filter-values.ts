/**
 * The URL's filter values that the page knows, and a short notice naming the ones it dropped. A
 * link with a stale or mistyped value (`?status=exploded`) then opens the page with that filter
 * reset instead of a validation error.
 */
export function knownFilterValues<T extends Record<string, string>>(
  values: T,
  allowed: Partial<Record<keyof T, readonly string[] | undefined>>,
  labels: Partial<Record<keyof T, string>> = {},
): { known: T; unknown: (keyof T)[]; notice: string | null } {
  const known = { ...values };
  const unknown: (keyof T)[] = [];
  for (const key of Object.keys(allowed) as (keyof T)[]) {
    const options = allowed[key];
    const value = values[key] ?? '';
    if (!options || value === '' || options.includes(value)) continue;
    (known as Record<keyof T, string>)[key] = '';
    unknown.push(key);
  }
  const notice =
    unknown.length === 0
      ? null
      : `The link asked for ${unknown
          .map((key) => `${labels[key] ?? String(key)} “${values[key]}”`)
          .join(' and ')}, which is not a value this page knows; that filter was reset.`;
  return { known, unknown, notice };
}
