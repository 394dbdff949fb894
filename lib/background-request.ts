/**
 * Requests the console makes on its own (polling a list while a run is in progress, refreshing
 * schedules) carry this header, so they do not count as the user's activity: a console left
 * open on a polling page still signs out after the idle timeout.
 */
export const BACKGROUND_REQUEST_HEADER = 'x-syncwright-background';

/** tRPC call options that mark a query's requests as background ones. */
export const backgroundRequest = { trpc: { context: { background: true } } } as const;
