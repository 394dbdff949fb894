import { expect } from 'vitest';
import { type ClassifiedError, ConnectorError } from '@/server/connectors/connector';

/** What a connector call was refused with: fails the test unless it rejects with a ConnectorError. */
export async function failure(promise: Promise<unknown>): Promise<ClassifiedError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return (error as ConnectorError).classified;
}
