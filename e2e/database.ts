import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * The console's own embedded database, for what a test must look up that no screen shows yet
 * (the queue of exceptions lives on its own page) and for checks a screen cannot make.
 */
export async function withConsoleDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const settings = JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, 'postgres.json'), 'utf8')) as {
    port: number;
    password: string;
  };
  const client = new pg.Client({
    host: '127.0.0.1',
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    database: 'syncwright',
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
