import { TRPCError } from '@trpc/server';
import { auditFilters, loadAuditFilters } from '@/components/audit/audit-list-input';
import { csvLine } from '@/lib/csv';
import { createRequestContext } from '@/server/api/context';
import { createCaller } from '@/server/api/root';

export const dynamic = 'force-dynamic';

const COLUMNS = [
  'id',
  'occurred_at',
  'actor',
  'action',
  'target_type',
  'target_id',
  'before',
  'after',
  'request_id',
  'ip',
  'hash',
];
const PAGE = 500;

/** The filtered audit log as CSV, streamed page by page so a large export never sits in memory. */
export async function GET(request: Request) {
  // The audit page's own filters, read from the URL the way the page reads them.
  const params = auditFilters(loadAuditFilters(request));
  const caller = createCaller(await createRequestContext());
  try {
    await caller.audit.startExport(params);
  } catch (err) {
    if (err instanceof TRPCError) {
      const status = err.code === 'UNAUTHORIZED' ? 401 : err.code === 'FORBIDDEN' ? 403 : 400;
      return new Response(err.message, { status });
    }
    throw err;
  }

  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(COLUMNS)));
        return;
      }
      const page = await caller.audit.exportPage({ ...params, cursor, limit: PAGE });
      let chunk = '';
      for (const e of page.items) {
        chunk += csvLine([
          e.id,
          e.occurredAt.toISOString(),
          e.actorEmail,
          e.action,
          e.targetType,
          e.targetId,
          e.before === null ? null : JSON.stringify(e.before),
          e.after === null ? null : JSON.stringify(e.after),
          e.requestId,
          e.ip,
          e.hash,
        ]);
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (!page.nextCursor) controller.close();
      else cursor = page.nextCursor;
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="syncwright-audit-${stamp}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
