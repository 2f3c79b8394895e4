/**
 * Third-party credentials from Secrets Manager: read once per container and cached (a failed
 * read is not cached, so the next call tries again). The SDK is loaded on first use, so only
 * the functions that hold such a credential pay for it at cold start.
 */
export const readSecretString = async (secretArn: string, what: string): Promise<string> => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (out.SecretString === undefined) throw new Error(`The ${what} secret has no SecretString`);
    return out.SecretString;
  } finally {
    client.destroy();
  }
};

/**
 * A provider of a credential that comes either straight from the environment (`{ value }`)
 * or from the secret named there (`{ secretArn }`, loaded with `load` and cached).
 */
export const secretProvider = <T>(source: () => { value: T } | { secretArn: string }, load: (secretArn: string) => Promise<T>) => {
  let cached: Promise<T> | undefined;
  return (): Promise<T> => {
    const s = source();
    if ('value' in s) return Promise.resolve(s.value);
    cached ??= load(s.secretArn).catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
    return cached;
  };
};

/** The loader `secretProvider` takes: reads the secret and turns its SecretString into the credential. */
export const secretReader =
  <T>(what: string, parse: (secretString: string) => T) =>
  async (secretArn: string): Promise<T> =>
    parse(await readSecretString(secretArn, what));

/** A SecretString that must be JSON, parsed; the error names the secret, never quotes its content. */
export const secretJson = (secretString: string, what: string): unknown => {
  try {
    return JSON.parse(secretString);
  } catch {
    throw new Error(`The ${what} secret is not JSON`);
  }
};
