import { EXCEPTION_CATALOGUE, type ExceptionCodeName } from '@/server/domain/exception-catalogue';

/** A run stopped on purpose: a systemic failure, not a problem of one record. */
export class RunHalted extends Error {
  override readonly name = 'RunHalted';
}

/**
 * Stops a run on a failure that is not any one record's: refused credentials at once, and a
 * target failing technically (timeouts, 5xx, 429 past the retry budget) for this many records
 * in a row. The batch in hand is then not committed, so the watermark stays before its records
 * and the next run reads them again, instead of filing the whole backlog as exceptions.
 */
export class CircuitBreaker {
  private inARow = 0;

  constructor(private readonly limit: number) {}

  failed(code: ExceptionCodeName, message: string): void {
    if (code === 'AUTH_FAILED') throw new RunHalted(`Stopped: a target refused the credentials (${message}).`);
    if (EXCEPTION_CATALOGUE[code].kind !== 'technical') return;
    this.inARow += 1;
    if (this.inARow >= this.limit) {
      throw new RunHalted(
        `Stopped: ${this.inARow} records in a row failed on a target that is not answering (last: ${message}).`,
      );
    }
  }

  passed(): void {
    this.inARow = 0;
  }
}
