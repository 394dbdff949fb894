import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '@/env';
import { PrismaClient, type Prisma } from './generated/prisma/client';

export type Db = PrismaClient;
/** A client inside `db().$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

const globalForDb = globalThis as unknown as { syncwrightDb?: PrismaClient };

/** The process-wide client, created on first use (after DATABASE_URL is known). */
export function db(): PrismaClient {
  if (!globalForDb.syncwrightDb) {
    if (!env.DATABASE_URL) {
      throw new Error('DATABASE_URL is not set: start Syncwright with `npm start`, or set DATABASE_URL.');
    }
    globalForDb.syncwrightDb = createPrismaClient(env.DATABASE_URL);
  }
  return globalForDb.syncwrightDb;
}
