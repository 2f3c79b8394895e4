/**
 * The environment, parsed once with zod when a module first asks for it. A missing or
 * malformed variable fails the container at start, not a request later. The names are
 * constants shared with infra/ so the stack and the code cannot drift apart.
 */
import { z } from 'zod';

export const ENV = {
  tableName: 'TABLE_NAME',
  allowedOrigins: 'ALLOWED_ORIGINS',
  maxBodyBytes: 'MAX_BODY_BYTES',
  stateMachineArn: 'STATE_MACHINE_ARN',
  frontendUrl: 'FRONTEND_URL',
  paystackBaseUrl: 'PAYSTACK_BASE_URL',
  paystackSecretKey: 'PAYSTACK_SECRET_KEY',
  paystackSecretArn: 'PAYSTACK_SECRET_ARN',
} as const;

const schema = z.object({
  [ENV.tableName]: z.string().min(3),
  [ENV.allowedOrigins]: z
    .string()
    .default('http://localhost:5173,http://localhost:3000')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  [ENV.maxBodyBytes]: z.coerce.number().int().positive().default(16 * 1024),
});

export interface Config {
  tableName: string;
  allowedOrigins: string[];
  maxBodyBytes: number;
}

let cached: Config | undefined;

export const config = (): Config => {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
    }
    const env = parsed.data;
    cached = {
      tableName: env[ENV.tableName],
      allowedOrigins: env[ENV.allowedOrigins],
      maxBodyBytes: env[ENV.maxBodyBytes],
    };
  }
  return cached;
};

/** Only the functions that start workflow executions need this, so it is read on first use. */
export const stateMachineArn = (): string => {
  const arn = process.env[ENV.stateMachineArn];
  if (!arn || !arn.startsWith('arn:')) throw new Error(`Invalid environment: ${ENV.stateMachineArn} must be a state machine ARN`);
  return arn;
};

export const DEFAULT_PAYSTACK_BASE_URL = 'https://api.paystack.co';

/** Read on first use, by the functions that call Paystack. Default: the live API. */
export const paystackBaseUrl = (): string => {
  const raw = process.env[ENV.paystackBaseUrl] || DEFAULT_PAYSTACK_BASE_URL;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) throw new Error(`Invalid environment: ${ENV.paystackBaseUrl} must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
};

/**
 * Where the Paystack secret key comes from: the variable itself (locally, tests), else the
 * Secrets Manager secret it names (in AWS). Fetching the secret is shared/integrations/paystack's job,
 * so the SDK client is loaded only by the functions that need it.
 */
export const paystackSecretSource = (): { key: string } | { secretArn: string } => {
  const key = process.env[ENV.paystackSecretKey];
  if (key) return { key };
  const secretArn = process.env[ENV.paystackSecretArn];
  if (secretArn) return { secretArn };
  throw new Error(`Invalid environment: set ${ENV.paystackSecretKey} or ${ENV.paystackSecretArn}`);
};

/** Where Paystack sends the student back after checkout (the frontend's session page lives there). */
export const frontendUrl = (): string => {
  const raw = process.env[ENV.frontendUrl] || 'http://localhost:5173';
  if (!URL.canParse(raw)) throw new Error(`Invalid environment: ${ENV.frontendUrl} must be a URL`);
  return raw.replace(/\/+$/, '');
};
