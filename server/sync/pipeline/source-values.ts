import type { z } from 'zod';

/** A source field as text; undefined when it is absent or empty (the sources send empty as "" or null). */
export function text(data: Record<string, unknown>, name: string): string | undefined {
  const value = data[name];
  return value === null || value === undefined || value === '' ? undefined : String(value);
}

/** What a canonical schema refused, as an exception message: "path: problem; …". */
export function validationText(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}
