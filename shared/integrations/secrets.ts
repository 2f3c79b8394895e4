/**
 * Third-party credentials from Secrets Manager, through Powertools Parameters: a value is
 * cached for SECRET_MAX_AGE_SECONDS, so a rotated Paystack or Zoom secret (or the email link
 * secret) is picked up within minutes without a deploy; a failed read is not cached, the next
 * call tries again. Powertools and the Secrets Manager client are loaded on first use, so only
 * the functions that read such a credential pay for them, and not at cold start.
 */
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

/** How long a secret's value is used before it is read again. */
export const SECRET_MAX_AGE_SECONDS = 300;

/** Reads a secret's SecretString: the seam the tests replace (with a Secrets Manager client of their own). */
export type SecretStringReader = (secretArn: string, what: string) => Promise<string>;

/**
 * A reader with its own cache. `client` (a Secrets Manager client) is for tests; the default is
 * the SDK's, configured from the environment.
 */
export const createSecretStringReader = (opts: { client?: unknown; maxAgeSeconds?: number } = {}): SecretStringReader => {
  let provider: Promise<SecretsProvider> | undefined;
  return async (secretArn, what) => {
    provider ??= import('@aws-lambda-powertools/parameters/secrets').then(
      ({ SecretsProvider }) => new SecretsProvider(opts.client ? { awsSdkV3Client: opts.client as never } : {}),
    );
    const value = await (await provider).get(secretArn, { maxAge: opts.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS });
    if (typeof value !== 'string') throw new Error(`The ${what} secret has no SecretString`);
    return value;
  };
};

/** The container's reader: one cache for every secret the function reads. */
export const readSecretString: SecretStringReader = createSecretStringReader();

/**
 * A provider of a credential that comes either straight from the environment (`{ value }`)
 * or from the secret named there (`{ secretArn }`, loaded with `load`, which caches).
 */
export const secretProvider = <T>(source: () => { value: T } | { secretArn: string }, load: (secretArn: string) => Promise<T>) => {
  return (): Promise<T> => {
    const s = source();
    return 'value' in s ? Promise.resolve(s.value) : load(s.secretArn);
  };
};

/**
 * The loader `secretProvider` takes: reads the secret (cached by `read`) and turns its
 * SecretString into the credential, parsed again only when the secret's value changed.
 */
export const secretReader = <T>(what: string, parse: (secretString: string) => T, read: SecretStringReader = readSecretString) => {
  let last: { raw: string; value: T } | undefined;
  return async (secretArn: string): Promise<T> => {
    const raw = await read(secretArn, what);
    if (last?.raw !== raw) last = { raw, value: parse(raw) };
    return last.value;
  };
};

/** A SecretString that must be JSON, parsed; the error names the secret, never quotes its content. */
export const secretJson = (secretString: string, what: string): unknown => {
  try {
    return JSON.parse(secretString);
  } catch {
    throw new Error(`The ${what} secret is not JSON`);
  }
};
