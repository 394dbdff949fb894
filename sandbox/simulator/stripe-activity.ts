import type Stripe from 'stripe';
import type { Random } from '@/sandbox/firm/prng';

/** A customer pays one open invoice (recorded out of band, as a bank transfer would be). */
export async function payInvoice(stripe: Stripe, random: Random): Promise<string> {
  const open = await stripe.invoices.list({ status: 'open', limit: 50 });
  if (open.data.length === 0) return 'no open invoice left';
  const invoice = random.pick(open.data);
  if (!invoice.id) throw new Error('an open invoice without an id');
  const paid = await stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
  return `paid ${paid.id} (${paid.amount_paid} ${paid.currency})`;
}
