/** The request header carrying the path and query a page was asked for, set by the proxy. */
export const REQUEST_PATH_HEADER = 'x-syncwright-path';
