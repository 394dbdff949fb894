import pino from 'pino';
import { env } from '@/env';

/** Structured JSON logs; callers add `requestId` / `correlationId` to what they log. */
export const logger = pino({
  level: env.NODE_ENV === 'test' ? 'silent' : env.LOG_LEVEL,
  base: { service: 'syncwright' },
});
