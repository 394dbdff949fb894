/**
 * Reads and writes of the emulated objects. Every statement names the schema it was given, so
 * tests can run emulators side by side in one database.
 */
import type { StoredInvoice, WireCustomer, WireInvoice, WireInvoiceItem } from './object-shapes';
import { renderInvoice } from './invoice-totals';
import type { Queryable } from './stripe-schema';

export interface CustomerRow {
  doc: WireCustomer;
  deleted: boolean;
}

export class StripeStore {
  constructor(
    readonly db: Queryable,
    /** The quoted schema name. */
    readonly s: string,
  ) {}

  async customer(id: string, lock = false): Promise<CustomerRow | null> {
    const { rows } = await this.db.query<CustomerRow>(
      `SELECT doc, deleted FROM ${this.s}.customers WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async customersByIds(ids: readonly string[]): Promise<Map<string, CustomerRow>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.db.query<CustomerRow & { id: string }>(
      `SELECT id, doc, deleted FROM ${this.s}.customers WHERE id = ANY($1)`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  async insertCustomer(doc: WireCustomer): Promise<void> {
    await this.db.query(`INSERT INTO ${this.s}.customers (id, created, email, doc) VALUES ($1, $2, $3, $4)`, [
      doc.id,
      doc.created,
      doc.email,
      JSON.stringify(doc),
    ]);
  }

  async saveCustomer(doc: WireCustomer, deleted = false): Promise<void> {
    await this.db.query(`UPDATE ${this.s}.customers SET email = $2, doc = $3, deleted = $4 WHERE id = $1`, [
      doc.id,
      doc.email,
      JSON.stringify(doc),
      deleted,
    ]);
  }

  async invoiceItem(id: string, lock = false): Promise<WireInvoiceItem | null> {
    const { rows } = await this.db.query<{ doc: WireInvoiceItem }>(
      `SELECT doc FROM ${this.s}.invoice_items WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0]?.doc ?? null;
  }

  async insertInvoiceItem(doc: WireInvoiceItem): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.s}.invoice_items (id, created, customer, invoice, doc) VALUES ($1, $2, $3, $4, $5)`,
      [doc.id, doc.date, idOf(doc.customer), idOf(doc.invoice), JSON.stringify(doc)],
    );
  }

  async saveInvoiceItem(doc: WireInvoiceItem): Promise<void> {
    await this.db.query(`UPDATE ${this.s}.invoice_items SET invoice = $2, doc = $3 WHERE id = $1`, [
      doc.id,
      idOf(doc.invoice),
      JSON.stringify(doc),
    ]);
  }

  async deleteInvoiceItem(id: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.s}.invoice_items WHERE id = $1`, [id]);
  }

  /** Items of each invoice, in the order they were added. */
  async itemsOfInvoices(invoiceIds: readonly string[]): Promise<Map<string, WireInvoiceItem[]>> {
    const byInvoice = new Map<string, WireInvoiceItem[]>(invoiceIds.map((id) => [id, []]));
    if (invoiceIds.length === 0) return byInvoice;
    const { rows } = await this.db.query<{ invoice: string; doc: WireInvoiceItem }>(
      `SELECT invoice, doc FROM ${this.s}.invoice_items WHERE invoice = ANY($1) ORDER BY seq`,
      [[...invoiceIds]],
    );
    for (const row of rows) byInvoice.get(row.invoice)?.push(row.doc);
    return byInvoice;
  }

  async countItemsOfInvoice(invoiceId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.s}.invoice_items WHERE invoice = $1`,
      [invoiceId],
    );
    return rows[0]?.n ?? 0;
  }

  /** Attaches the customer's pending items (those on no invoice yet) to an invoice. */
  async attachPendingItems(customerId: string, invoiceId: string, currency: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.s}.invoice_items
          SET invoice = $2, doc = jsonb_set(doc, '{invoice}', to_jsonb($2::text))
        WHERE customer = $1 AND invoice IS NULL AND doc->>'currency' = $3`,
      [customerId, invoiceId, currency],
    );
  }

  /** Returns a draft's items to pending, as they were before the invoice existed. */
  async detachItems(invoiceId: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.s}.invoice_items SET invoice = NULL, doc = jsonb_set(doc, '{invoice}', 'null') WHERE invoice = $1`,
      [invoiceId],
    );
  }

  async pendingItemCurrency(customerId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ currency: string }>(
      `SELECT doc->>'currency' AS currency FROM ${this.s}.invoice_items
        WHERE customer = $1 AND invoice IS NULL ORDER BY seq LIMIT 1`,
      [customerId],
    );
    return rows[0]?.currency ?? null;
  }

  async invoice(id: string, lock = false): Promise<StoredInvoice | null> {
    const { rows } = await this.db.query<{ doc: StoredInvoice }>(
      `SELECT doc FROM ${this.s}.invoices WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0]?.doc ?? null;
  }

  async insertInvoice(doc: StoredInvoice): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.s}.invoices (id, created, customer, status, doc) VALUES ($1, $2, $3, $4, $5)`,
      [doc.id, doc.created, idOf(doc.customer), doc.status, JSON.stringify(doc)],
    );
  }

  async saveInvoice(doc: StoredInvoice): Promise<void> {
    await this.db.query(`UPDATE ${this.s}.invoices SET status = $2, doc = $3 WHERE id = $1`, [
      doc.id,
      doc.status,
      JSON.stringify(doc),
    ]);
  }

  async deleteInvoice(id: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.s}.invoices WHERE id = $1`, [id]);
  }

  /** Drafts copy the customer's contact fields until they are finalized. */
  async refreshDraftSnapshots(customerId: string, snapshot: object): Promise<void> {
    await this.db.query(
      `UPDATE ${this.s}.invoices SET doc = doc || $2::jsonb WHERE customer = $1 AND status = 'draft'`,
      [customerId, JSON.stringify(snapshot)],
    );
  }

  async renderInvoices(stored: readonly StoredInvoice[]): Promise<WireInvoice[]> {
    const items = await this.itemsOfInvoices(stored.map((i) => i.id));
    return stored.map((invoice) => renderInvoice(invoice, items.get(invoice.id) ?? []));
  }

  async renderInvoice(stored: StoredInvoice): Promise<WireInvoice> {
    const [rendered] = await this.renderInvoices([stored]);
    if (!rendered) throw new Error(`invoice ${stored.id} could not be rendered`);
    return rendered;
  }
}

/** The id of a field that holds either an id or an expanded object. */
export function idOf(value: string | { id: string } | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value : value.id;
}
