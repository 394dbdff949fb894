import { ConnectorError } from '@/server/connectors/connector';
import { invalidResponseError } from './classify-netsuite-error';
import { parseJsonKeepingNumbers } from './exact-json';
import type { NetSuiteRestClient } from './netsuite-rest-client';

/**
 * Updates through NetSuite's batch operations: one PATCH of up to 100 records of a type, carried
 * out as an asynchronous job that is polled until it completes. A job that succeeded succeeded for
 * every record; otherwise each task (one per record, in the batch's order) says whether its record
 * was updated, and a failed task's result is the error its own PATCH would have answered.
 */

export const MAX_BATCH_RECORDS = 100;
const FIRST_POLL_MS = 20;
const LONGEST_POLL_MS = 500;

const COLLECTION = 'application/vnd.oracle.resource+json; type=collection';

interface AsyncStatus {
  completed?: boolean;
  progress?: string;
  items?: { links?: { rel?: string; href?: string }[] }[];
}

function invalid(message: string): ConnectorError {
  return new ConnectorError(invalidResponseError(message));
}

export async function batchUpdate(
  client: NetSuiteRestClient,
  path: string,
  /** Each record's JSON, its internal id in `id` among the fields to set. */
  items: readonly string[],
  idempotencyKey: string,
  timeoutMs: number,
): Promise<(ConnectorError | null)[]> {
  const accepted = await client.request('PATCH', {
    path,
    body: `{"items":[${items.join(',')}]}`,
    headers: { Prefer: 'respond-async', 'Content-Type': COLLECTION, 'X-NetSuite-Idempotency-Key': idempotencyKey },
  });
  const location = accepted.headers.get('location');
  if (!location) throw invalid('a batch request answered without the location of its job');
  const jobPath = new URL(location, 'http://netsuite.invalid').pathname;
  const read = async (at: string) => {
    const text = (await client.request('GET', { path: at })).text;
    try {
      return parseJsonKeepingNumbers(text) as AsyncStatus;
    } catch {
      throw invalid(`an async job status that is not JSON at ${at}`);
    }
  };

  const deadline = Date.now() + timeoutMs;
  let wait = FIRST_POLL_MS;
  let job = await read(jobPath);
  while (!job.completed) {
    if (Date.now() > deadline)
      throw new ConnectorError({
        class: 'transient',
        code: 'TIMEOUT',
        message: `NetSuite's batch job ${jobPath} did not complete within ${timeoutMs} ms.`,
      });
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(Math.ceil(wait * 1.5), LONGEST_POLL_MS);
    job = await read(jobPath);
  }
  if (job.progress === 'succeeded') return items.map(() => null);

  const tasks = (await read(`${jobPath}/task`)).items ?? [];
  if (tasks.length !== items.length)
    throw invalid(`batch job ${jobPath} has ${tasks.length} tasks for ${items.length} records`);
  return Promise.all(
    tasks.map(async (task) => {
      const href = task.links?.find((l) => l.rel === 'self')?.href;
      if (!href) throw invalid(`a task of batch job ${jobPath} without its link`);
      const taskPath = new URL(href, 'http://netsuite.invalid').pathname;
      const status = await read(taskPath);
      if (status.progress === 'succeeded') return null;
      const failure = await client.request('GET', { path: `${taskPath}/result` }).then(
        () => null,
        (error: unknown) => {
          if (error instanceof ConnectorError) return error;
          throw error;
        },
      );
      return failure ?? invalid(`task ${taskPath} failed without saying why`);
    }),
  );
}
