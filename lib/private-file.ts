import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes a file only its owner may read (mode 0600) — secrets, database passwords — whether or not
 * it existed before: the content goes to a new file created with that mode, which then replaces
 * the old one, so no moment exists where the secret sits under a wider mode. (Node only: the one
 * place both the sandbox and the server can share.)
 */
export function writePrivateFile(file: string, content: string): void {
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, content, { mode: 0o600 });
  renameSync(next, file);
}
