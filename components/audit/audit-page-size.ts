/** Audit events per page; the server prefetches the first page with the same size. */
export const AUDIT_PAGE_SIZE = 50;
