import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface Browser {
  executablePath: string;
  /** Where it was found, printed once so a failing run says which browser it used. */
  source: string;
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser'];

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set, else a system Chromium on the
 * PATH, else the headless Chromium shipped inside the `@sparticuz/chromium` npm package (extracted
 * to the temp folder on first use), so `npm install && npm test` needs nothing from outside npm.
 * Playwright's own browser download is not used: it is not reachable everywhere.
 */
export async function findBrowser(): Promise<Browser> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return { executablePath: configured, source: 'CHROMIUM_PATH' };
  const system = onPath(SYSTEM_NAMES);
  if (system) return { executablePath: system, source: 'system' };
  const { default: packaged } = await import('@sparticuz/chromium');
  return { executablePath: await packaged.executablePath(), source: '@sparticuz/chromium' };
}

function onPath(names: string[]): string | undefined {
  const folders = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const folder of folders) {
    for (const name of names) {
      const candidate = path.join(folder, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this folder
      }
    }
  }
  return undefined;
}
