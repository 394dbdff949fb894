import Stripe from 'stripe';
import { createRandom, type Random } from '@/sandbox/firm/prng';
import { netSuiteClient, type NetSuiteConnection } from './netsuite-client';
import { approveTime, completeMilestone } from './netsuite-activity';
import { closeDeal, SalesforceSession, type SalesforceTarget } from './salesforce-activity';
import { payInvoice } from './stripe-activity';

/**
 * Makes the outside world move while the sandbox runs: every few seconds a deal is won in the
 * CRM, time is approved and a milestone completed in the ERP, and an invoice is paid in billing —
 * each through the emulator's public API with the client a real integration would use (jsforce,
 * a signed NetSuite REST client, the stripe SDK). A failed action (an injected fault, say) is
 * logged and the simulator carries on with the next one.
 */
export interface SimulatorTargets {
  salesforce: SalesforceTarget;
  netsuite: NetSuiteConnection;
  stripe: { baseUrl: string; secretKey: string };
}

export interface SimulatorOptions {
  /** Pause between ticks. */
  intervalMs?: number;
  /** How long one action may wait for an answer before it is given up. */
  actionTimeoutMs?: number;
  seed?: number;
  /** Each action's outcome, a line each. */
  log?: (line: string) => void;
  /** Each round's outcomes, as data (e.g. for a periodic summary). */
  onTick?: (report: TickReport) => void;
  /** The business day actions are dated with. */
  today?: () => string;
}

export type ActionName = 'closeDeal' | 'approveTime' | 'completeMilestone' | 'payInvoice';

export interface ActionOutcome {
  action: ActionName;
  system: 'salesforce' | 'netsuite' | 'stripe';
  ok: boolean;
  detail: string;
}

export interface TickReport {
  tick: number;
  outcomes: ActionOutcome[];
}

export interface ActivitySimulator {
  /** Runs one round of activity now. */
  tick(): Promise<TickReport>;
  /** Ticks every `intervalMs` until stopped. */
  start(): void;
  /** Stops the timer and waits for a running tick to end. */
  stop(): Promise<void>;
}

export function createActivitySimulator(targets: SimulatorTargets, options: SimulatorOptions = {}): ActivitySimulator {
  const intervalMs = options.intervalMs ?? 5_000;
  const actionTimeoutMs = options.actionTimeoutMs ?? 10_000;
  const log = options.log ?? (() => {});
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const random = createRandom(options.seed ?? Date.now() % 0xffffffff, 'simulator');

  const salesforce = new SalesforceSession(targets.salesforce);
  const netsuite = netSuiteClient(targets.netsuite, { timeoutMs: actionTimeoutMs });
  const stripeUrl = new URL(targets.stripe.baseUrl);
  const stripe = new Stripe(targets.stripe.secretKey, {
    host: stripeUrl.hostname,
    port: Number(stripeUrl.port || 80),
    protocol: stripeUrl.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
    timeout: actionTimeoutMs,
  });

  const actions: {
    action: ActionName;
    system: ActionOutcome['system'];
    run: (r: Random, day: string) => Promise<string>;
  }[] = [
    { action: 'closeDeal', system: 'salesforce', run: (r, day) => closeDeal(salesforce, r, day) },
    { action: 'approveTime', system: 'netsuite', run: (r, day) => approveTime(netsuite, r, day) },
    { action: 'completeMilestone', system: 'netsuite', run: (r, day) => completeMilestone(netsuite, r, day) },
    { action: 'payInvoice', system: 'stripe', run: (r) => payInvoice(stripe, r) },
  ];

  let ticks = 0;
  let running: Promise<TickReport> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function tick(): Promise<TickReport> {
    const number = ++ticks;
    const day = today();
    const outcomes = await Promise.all(
      actions.map(async ({ action, system, run }): Promise<ActionOutcome> => {
        try {
          const detail = await withTimeout(run(random.fork(number, action), day), actionTimeoutMs, action);
          return { action, system, ok: true, detail };
        } catch (error) {
          if (system === 'salesforce') salesforce.invalidate(error);
          return { action, system, ok: false, detail: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    for (const o of outcomes)
      log(`simulator tick ${number} ${o.system} ${o.action}: ${o.ok ? '' : 'failed: '}${o.detail}`);
    const report = { tick: number, outcomes };
    options.onTick?.(report);
    return report;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = tick().finally(() => {
        running = null;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  }

  return {
    tick,
    start() {
      stopped = false;
      if (!timer && !running) schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

/** Gives up waiting after `ms`; an injected timeout never answers, and the tick must move on. */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
