import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '@/env';
import { PrismaClient, type Prisma } from './generated/prisma/client';

export type Db = PrismaClient;
/** A client inside `db().$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

const globalForDb = globalThis as unknown as { syncwrightDb?: { url: string; client: PrismaClient } };

/**
 * The process-wide client, created on first use (after DATABASE_URL is known), and again when
 * DATABASE_URL is set anew at run time (a test pointed at a database of its own, then back).
 */
export function db(): PrismaClient {
  if (!env.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set: start Syncwright with `npm start`, or set DATABASE_URL.');
  }
  const current = globalForDb.syncwrightDb;
  if (current?.url === env.DATABASE_URL) return current.client;
  // The previous client's queries under way finish; its idle connections close.
  if (current) void current.client.$disconnect();
  const client = createPrismaClient(env.DATABASE_URL);
  globalForDb.syncwrightDb = { url: env.DATABASE_URL, client };
  return client;
}
