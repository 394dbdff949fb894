import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The one reader of process.env. Every setting is validated here once; a bad value stops
 * start-up with a message naming the variable.
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const postgresUrl = optionalText.pipe(
  z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string')
    .optional(),
);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: postgresUrl,
    // The owner of the tables, for migrations, when DATABASE_URL is a least-privilege role (README, "Security").
    DATABASE_OWNER_URL: postgresUrl,
    SYNCWRIGHT_DATA_DIR: z.string().default('.data'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default('localhost'),
    NEXTAUTH_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    NEXTAUTH_URL: optionalText.pipe(z.url().optional()),
    CREDENTIALS_KEYS: optionalText,
    AUDIT_ANCHOR_KEY: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    AUDIT_ANCHOR_FILE: optionalText,
    SESSION_MAX_AGE_HOURS: z.coerce.number().min(0.01).max(12).default(12),
    SESSION_IDLE_MINUTES: z.coerce.number().min(0.1).max(30).default(30),
    SIGNIN_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(100).default(5),
    SIGNIN_IP_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
    SIGNIN_MAX_DELAY_SECONDS: z.coerce.number().min(0).max(60).default(10),
    // Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For is believed.
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .refine(
        (entries) => entries.every((entry) => isIP(entry.split('/')[0]!.replace(/^\[|\]$/g, '')) !== 0),
        'must be comma-separated IP addresses or CIDR ranges',
      ),
    OIDC_ISSUER: optionalText.pipe(z.url().optional()),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    OIDC_NAME: z.string().default('Single sign-on'),
    DEMO: z.enum(['on', 'off']).optional(),
    SANDBOX: z.enum(['on', 'off']).optional(),
    SANDBOX_SIMULATE: z.enum(['on', 'off']).default('on'),
    SANDBOX_SALESFORCE_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
    SANDBOX_NETSUITE_PORT: z.coerce.number().int().min(0).max(65535).default(4020),
    SANDBOX_STRIPE_PORT: z.coerce.number().int().min(0).max(65535).default(4030),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_TO_TERMINAL: z.enum(['on', 'off']).default('off'),
    CIRCUIT_BREAKER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    // Garbage is collected before the heap grows past this; V8 otherwise sizes it to the machine.
    WORKER_HEAP_MB: z.coerce.number().int().min(64).max(16_384).default(320),
    WORKER_STALE_AFTER_SECONDS: z.coerce.number().min(1).max(3600).default(30),
    // Below Stripe's 24 hours, so a key is looked up before Stripe may have forgotten it.
    IDEMPOTENCY_SAFETY_WINDOW_HOURS: z.coerce.number().min(0).lt(24).default(23),
    READ_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
    RECONCILE_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    STUCK_ACTIVATION_SLA_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 30)
      .default(24),
  })
  .superRefine((v, ctx) => {
    const oidc = [v.OIDC_ISSUER, v.OIDC_CLIENT_ID, v.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc !== 0 && oidc !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
      });
    }
  });

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const env: Env = parseEnv(process.env);

/**
 * Demo mode (the demo users and the sandbox firm): on with the embedded database, off against a
 * DATABASE_URL unless DEMO=on asks for it, so a start next to real systems opens no door.
 */
export function demoMode(settings: Pick<Env, 'DEMO' | 'DATABASE_URL'> = env): boolean {
  return settings.DEMO ? settings.DEMO === 'on' : !settings.DATABASE_URL;
}

/** The sandbox runs where SANDBOX says, and otherwise in demo mode only. */
export function sandboxOn(settings: Pick<Env, 'DEMO' | 'DATABASE_URL' | 'SANDBOX'> = env): boolean {
  return settings.SANDBOX ? settings.SANDBOX === 'on' : demoMode(settings);
}

/** The environment for a child process this one starts, with settings it decided itself. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Settings decided at run time (the embedded database's address) for code in this process. */
export function setRuntimeSetting(
  name: 'DATABASE_URL' | 'NEXTAUTH_SECRET' | 'CREDENTIALS_KEYS' | 'AUDIT_ANCHOR_KEY',
  value: string,
): void {
  process.env[name] = value;
  env[name] = value;
}
