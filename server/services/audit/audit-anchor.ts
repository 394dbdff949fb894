import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '@/env';
import { db, type Db } from '@/server/db/client';

/**
 * Anchors of the audit chain outside the database: now and then the chain's head (last id and
 * hash) is written to a file, signed with a key the database does not hold. Someone able to
 * rewrite the database can recompute every hash of the chain, or cut its last rows off — but
 * then the newest anchor no longer matches the row it names, and cannot be forged to match.
 */
export interface AnchorSettings {
  /** HMAC key (AUDIT_ANCHOR_KEY); no key, no anchors. */
  key: string | null;
  file: string;
}

/** AUDIT_ANCHOR_KEY, and AUDIT_ANCHOR_FILE or `audit-anchors.jsonl` in the data folder. */
export function anchorSettings(): AnchorSettings {
  return {
    key: env.AUDIT_ANCHOR_KEY ?? null,
    file: env.AUDIT_ANCHOR_FILE ?? path.resolve(env.SYNCWRIGHT_DATA_DIR, 'audit-anchors.jsonl'),
  };
}

export interface Checkpoint {
  id: string;
  hash: string;
  at: string;
}

export type AnchorCheck =
  { state: 'unanchored' } | { state: 'intact'; checkpoint: Checkpoint } | { state: 'broken'; problem: string };

const mac = (key: string, c: Checkpoint) => createHmac('sha256', key).update(`${c.id}|${c.hash}|${c.at}`).digest('hex');

function readCheckpoints(settings: AnchorSettings): { checkpoint: Checkpoint; valid: boolean }[] {
  if (!settings.key || !existsSync(settings.file)) return [];
  return readFileSync(settings.file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { id, hash, at, mac: signed } = JSON.parse(line) as Checkpoint & { mac: string };
      const checkpoint = { id, hash, at };
      const expected = Buffer.from(mac(settings.key!, checkpoint), 'hex');
      const given = Buffer.from(String(signed), 'hex');
      return { checkpoint, valid: given.length === expected.length && timingSafeEqual(given, expected) };
    });
}

/** Appends the chain's current head to the anchor file, unless it is anchored already. */
export async function writeAuditCheckpoint(settings: AnchorSettings, client: Db = db()): Promise<Checkpoint | null> {
  if (!settings.key) return null;
  const head = await client.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, hash: true } });
  if (!head) return null;
  const last = readCheckpoints(settings).at(-1)?.checkpoint;
  if (last?.id === head.id.toString() && last.hash === head.hash) return last;
  const checkpoint = { id: head.id.toString(), hash: head.hash, at: new Date().toISOString() };
  appendFileSync(settings.file, `${JSON.stringify({ ...checkpoint, mac: mac(settings.key, checkpoint) })}\n`, {
    mode: 0o600,
  });
  return checkpoint;
}

/** Checks every anchor's signature, and that the newest still matches the row it names. */
export async function checkAuditAnchors(settings: AnchorSettings, client: Db = db()): Promise<AnchorCheck> {
  const checkpoints = readCheckpoints(settings);
  const forged = checkpoints.find((c) => !c.valid);
  if (forged)
    return { state: 'broken', problem: `the anchor of event #${forged.checkpoint.id} is not signed by the anchor key` };
  const newest = checkpoints.at(-1)?.checkpoint;
  if (!newest) return { state: 'unanchored' };
  const row = await client.auditEvent.findUnique({ where: { id: BigInt(newest.id) }, select: { hash: true } });
  if (!row)
    return {
      state: 'broken',
      problem: `event #${newest.id}, anchored at ${newest.at}, is missing: the log was cut short`,
    };
  if (row.hash !== newest.hash) {
    return {
      state: 'broken',
      problem: `event #${newest.id} no longer has the hash anchored at ${newest.at}: the log was rewritten`,
    };
  }
  return { state: 'intact', checkpoint: newest };
}
