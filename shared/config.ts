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
