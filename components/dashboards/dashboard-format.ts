import Decimal from 'decimal.js';
import { formatMoney } from '@/lib/format-money';

/** Okabe–Ito colours: told apart with every common colour-vision deficiency. */
export const CHART_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** A duration in seconds as people say it: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A change since last week in words, never by colour alone: "▲ 3 since last week". */
export function formatChange(now: number | null, weekAgo: number | null, unit: (n: number) => string = String) {
  if (now === null || weekAgo === null) return 'no figure a week ago';
  const diff = now - weekAgo;
  if (diff === 0) return 'no change since last week';
  return `${diff > 0 ? '▲ up' : '▼ down'} ${unit(Math.abs(diff))} since last week`;
}

/** The same for an amount, subtracted as decimals: "▲ up £1,250.50 since last week". */
export function formatMoneyChange(
  now: { amount: string; currency: string } | null,
  weekAgo: { amount: string; currency: string } | null,
) {
  if (!now || !weekAgo) return 'no figure a week ago';
  const diff = new Decimal(now.amount).minus(weekAgo.amount);
  if (diff.isZero()) return 'no change since last week';
  return `${diff.isPositive() ? '▲ up' : '▼ down'} ${formatMoney(diff.abs().toFixed(), now.currency)} since last week`;
}
