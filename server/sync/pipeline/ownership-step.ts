import type { SystemName } from '@/server/domain/canonical/canonical-record';
import { checkOwnership, ruleFor, type OwnershipConflict } from '@/server/domain/ownership';
import type { OwnershipRuleSet } from '@/server/services/ownership/ownership-rules';
import { changedAttributes } from '../canonical-store';
import type { RecordMessage } from './record-message';

/**
 * Each field of a write in the target's own names, with the attribute of the write's canonical
 * object its value is; null for the keys that only place the record (ids, links to other records,
 * the entity's subsidiary) and are owned by no one.
 */
export type WrittenAttributes = Readonly<Record<string, string | null>>;

/** Which legal entity a record is filed under is where it lives, not content a system owns. */
const PLACEMENT = new Set(['legalEntityId']);

const SYSTEM_LABEL: Record<SystemName, string> = { salesforce: 'The CRM', netsuite: 'NetSuite', stripe: 'Billing' };

const listed = (conflicts: readonly OwnershipConflict[]) =>
  conflicts.map((c) => `${c.attribute} (owned by ${c.owner})`).join(', ');

/**
 * Ownership, checked the same way by every routine against the rule version the run started with
 * (recorded in the ledger with each outcome): a source record may change only attributes its
 * system owns, and a write never overwrites an attribute the target is the system of record of.
 */
export class OwnershipStep {
  constructor(private readonly rules: OwnershipRuleSet) {}

  get version(): number {
    return this.rules.version;
  }

  /** The attributes `source` may not write to an object; none when it owns them all. */
  refused(objectType: string, source: SystemName, attributes: readonly string[]): OwnershipConflict[] {
    return checkOwnership(this.rules.rules, { objectType, source, attributes }).conflicts;
  }

  /**
   * Whether the record's source owns every attribute it changed since the canonical record last
   * held; when not, the record is held as an ownership conflict routed to the owner's team.
   */
  admits(
    message: RecordMessage,
    record: { objectType: string; canonicalId: string; previous: Record<string, unknown> | undefined },
    next: Record<string, unknown>,
  ): boolean {
    const changed = changedAttributes(record.previous, next).filter((a) => !PLACEMENT.has(a));
    const conflicts = this.refused(record.objectType, message.sourceSystem, changed);
    if (conflicts.length === 0) return true;
    message.exception({
      code: 'OWNERSHIP_CONFLICT',
      message: `${SYSTEM_LABEL[message.sourceSystem]} changed ${listed(conflicts)}.`,
      step: 'ownership',
      canonicalId: record.canonicalId,
      objectType: record.objectType,
      ruleVersion: this.version,
      team: conflicts[0]!.team,
    });
    return false;
  }

  /**
   * The fields `target` may be written with: every declared field but those whose attribute the
   * target owns (it keeps its own value) or that no rule names (ownership is declared, not
   * assumed). Every field written must be declared.
   */
  writable<F extends Record<string, unknown>>(
    write: { objectType: string; target: SystemName; attributes: WrittenAttributes },
    fields: F,
  ): Partial<F> {
    const allowed: Partial<F> = {};
    for (const [field, value] of Object.entries(fields) as [keyof F & string, F[keyof F & string]][]) {
      if (!(field in write.attributes)) {
        throw new Error(`${write.objectType} field ${field} is written without saying which attribute it is.`);
      }
      const attribute = write.attributes[field];
      if (attribute) {
        const rule = ruleFor(this.rules.rules, write.objectType, attribute);
        if (!rule || rule.owner === write.target) continue;
      }
      allowed[field] = value;
    }
    return allowed;
  }
}
