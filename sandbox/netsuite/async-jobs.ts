import { eachAtMost } from '@/lib/each-at-most';
import { NetSuiteApiError } from './netsuite-error';

/**
 * NetSuite's asynchronous request processing, as batch operations use it: a request sent with
 * `Prefer: respond-async` is answered 202 with `Location: /services/rest/async/v1/job/{id}`; the
 * job, one task per record of the batch (in the batch's order), and each task's result are read
 * from the async service. A job sent again with the same `X-NetSuite-Idempotency-Key` is the
 * same job, not a second one. Jobs are kept in memory, the newest MAX_JOBS of them.
 */

export const ASYNC_PREFIX = '/services/rest/async/v1/job';
export const MAX_BATCH_RECORDS = 100;
const MAX_JOBS = 1_000;
const TASKS_IN_PARALLEL = 4;

type Progress = 'pending' | 'processing' | 'succeeded' | 'failed';

interface Task {
  progress: Progress;
  startTime?: string;
  endTime?: string;
  /** A failed task's error, as the synchronous request would have answered it. */
  error?: NetSuiteApiError;
}

interface Job {
  id: string;
  progress: Progress;
  tasks: Task[];
}

export type AsyncAnswer = { status: number; body: unknown } | { status: 'problem'; error: NetSuiteApiError };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AsyncJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly byKey = new Map<string, string>();
  private nextId = 1;

  constructor(
    private readonly baseUrl: () => string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Starts a job that carries out `work` once for each item, in order, each its own task; the
   * job's location. With an idempotency key a job already started for it is returned instead.
   */
  start<T>(items: readonly T[], idempotencyKey: string | undefined, work: (item: T) => Promise<void>): string {
    if (idempotencyKey !== undefined && !UUID.test(idempotencyKey)) {
      throw new NetSuiteApiError(
        400,
        'INVALID_HEADER',
        "Invalid 'X-NetSuite-Idempotency-Key' header. The idempotency key must be a UUID.",
        { 'o:errorHeader': 'X-NetSuite-Idempotency-Key' },
      );
    }
    const known = idempotencyKey ? this.byKey.get(idempotencyKey) : undefined;
    if (known && this.jobs.has(known)) return `${ASYNC_PREFIX}/${known}`;
    const job: Job = {
      id: String(this.nextId++),
      progress: 'pending',
      tasks: items.map(() => ({ progress: 'pending' })),
    };
    this.jobs.set(job.id, job);
    if (idempotencyKey) this.byKey.set(idempotencyKey, job.id);
    this.forgetOldest();
    setImmediate(() => void this.run(job, items, work));
    return `${ASYNC_PREFIX}/${job.id}`;
  }

  /** The job's tasks, a few at a time: NetSuite carries out a batch's records in parallel. */
  private async run<T>(job: Job, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    job.progress = 'processing';
    await eachAtMost(items, TASKS_IN_PARALLEL, (item, index) => this.runTask(job.tasks[index]!, item, work));
    job.progress = job.tasks.every((t) => t.progress === 'succeeded') ? 'succeeded' : 'failed';
  }

  private async runTask<T>(task: Task, item: T, work: (item: T) => Promise<void>): Promise<void> {
    task.startTime = new Date().toISOString();
    task.progress = 'processing';
    try {
      await work(item);
      task.progress = 'succeeded';
    } catch (error) {
      if (!(error instanceof NetSuiteApiError)) this.onError(error);
      task.error =
        error instanceof NetSuiteApiError
          ? error
          : new NetSuiteApiError(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.');
      task.progress = 'failed';
    }
    task.endTime = new Date().toISOString();
  }

  private forgetOldest(): void {
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= MAX_JOBS) break;
      this.jobs.delete(id);
    }
    for (const [key, id] of this.byKey) if (!this.jobs.has(id)) this.byKey.delete(key);
  }

  /** GET on the async service: a job, its task list, a task, or a task's result. */
  read(path: string): AsyncAnswer {
    const href = (suffix: string) => `${this.baseUrl()}${ASYNC_PREFIX}/${suffix}`;
    const match = /^\/([^/]+)(\/task(?:\/([^/]+)(\/result)?)?)?\/?$/.exec(path.slice(ASYNC_PREFIX.length));
    const job = match ? this.jobs.get(match[1]!) : undefined;
    if (!match || !job) return { status: 'problem', error: notFound(path) };
    const [, jobId, tasks, taskId, result] = match;
    const completed = job.progress === 'succeeded' || job.progress === 'failed';
    if (!tasks) {
      return {
        status: 200,
        body: {
          links: [{ rel: 'self', href: href(jobId!) }],
          completed,
          id: jobId,
          progress: job.progress,
          task: { links: [{ rel: 'self', href: href(`${jobId}/task`) }] },
        },
      };
    }
    if (taskId === undefined) {
      const items = job.tasks.map((_, i) => ({ links: [{ rel: 'self', href: href(`${jobId}/task/${i + 1}`) }] }));
      return {
        status: 200,
        body: { links: [], count: items.length, hasMore: false, offset: 0, totalResults: items.length, items },
      };
    }
    const task = /^\d+$/.test(taskId) ? job.tasks[Number(taskId) - 1] : undefined;
    if (!task) return { status: 'problem', error: notFound(path) };
    const taskDone = task.progress === 'succeeded' || task.progress === 'failed';
    if (result) {
      if (!taskDone) return { status: 'problem', error: notFound(path) };
      return task.error ? { status: 'problem', error: task.error } : { status: 204, body: null };
    }
    return {
      status: 200,
      body: {
        links: [
          { rel: 'related', href: href(`${jobId}/task/${taskId}/result`) },
          { rel: 'self', href: href(`${jobId}/task/${taskId}`) },
        ],
        completed: taskDone,
        id: taskId,
        progress: task.progress,
        ...(task.startTime ? { startTime: task.startTime } : {}),
        ...(task.endTime ? { endTime: task.endTime } : {}),
      },
    };
  }
}

function notFound(path: string): NetSuiteApiError {
  return new NetSuiteApiError(404, 'INVALID_REQUEST', `The requested resource ${path} does not exist.`, {
    'o:errorUrl': path,
  });
}
