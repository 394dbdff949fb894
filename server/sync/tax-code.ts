import type { FieldMappings } from './field-mappings';

/** What the tax code of a billable line depends on in its customer. */
export interface TaxCodeCustomer {
  /** The customer's id at the ERP (NetSuite's internal id). */
  id: string;
  taxRegistration: string | null;
}

/**
 * The tax code a customer is billed under in a legal entity, or null when none can be found: the
 * billing connection's `tax_code` map for this customer, else its `default` for a customer with a
 * tax registration (any customer in the US, where sales tax needs no registration).
 */
export function taxCodeFor(mappings: FieldMappings, legalEntityId: string, customer: TaxCodeCustomer): string | null {
  return (
    mappings.get('tax_code', `customer:${customer.id}`) ??
    (customer.taxRegistration || legalEntityId === 'US' ? (mappings.get('tax_code', 'default') ?? null) : null)
  );
}
