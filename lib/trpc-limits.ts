/** Calls one HTTP request may batch: the browser's link splits above it, the server refuses above it. */
export const MAX_BATCH_SIZE = 10;
