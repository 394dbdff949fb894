import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSecrets } from './local-secrets';

describe('local secrets', () => {
  it('keeps the secrets file readable by its owner alone, even when it existed with a wider mode', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'syncwright-secrets-'));
    const file = path.join(dataDir, 'local-secrets.json');
    writeFileSync(file, JSON.stringify({ authSecret: 'kept-secret-value' }));
    chmodSync(file, 0o644);

    const secrets = localSecrets(dataDir);

    expect(secrets.authSecret).toBe('kept-secret-value');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
