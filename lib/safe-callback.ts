const HOME = '/dashboards';
// Never a real host: only used to see where a browser would resolve the target.
const CONSOLE = 'https://console.invalid';

/**
 * The page to open after sign-in: a path of the console itself, or the dashboards. The target is
 * resolved as a browser would (which drops tabs and newlines and reads `\` as `/`), so
 * `/\evil.example` or `/<tab>/evil.example` cannot leave the console's origin; what is returned
 * is the resolved path, so the browser goes exactly where was checked.
 */
export function safeCallback(value: string | undefined): string {
  if (!value || !value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return HOME;
  let resolved: URL;
  try {
    resolved = new URL(value, CONSOLE);
  } catch {
    return HOME;
  }
  if (resolved.origin !== CONSOLE) return HOME;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return path.startsWith('//') ? HOME : path;
}
