import { SecretsManagerClient, type GetSecretValueCommandInput } from '@aws-sdk/client-secrets-manager';
import { createSecretStringReader, SECRET_MAX_AGE_SECONDS, secretReader } from './secrets';

const ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:paystack';

/** A Secrets Manager client that answers GetSecretValue from `store` without leaving the process. */
const fakeSecretsManager = (store: Map<string, string | Error>) => {
  const calls: string[] = [];
  const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  client.middlewareStack.add(
    () => async (args) => {
      const id = (args.input as GetSecretValueCommandInput).SecretId!;
      calls.push(id);
      const value = store.get(id);
      if (value instanceof Error) throw value;
      return { output: { $metadata: {}, ARN: id, SecretString: value }, response: {} };
    },
    { step: 'initialize', name: 'fakeSecretsManager' },
  );
  return { client, calls };
};

describe('Secrets read through Powertools Parameters', () => {
  afterEach(() => jest.useRealTimers());

  it('are cached for the max age, then read again: a rotated secret is used within minutes, without a deploy', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const store = new Map<string, string | Error>([[ARN, 'sk_live_old']]);
    const { client, calls } = fakeSecretsManager(store);
    const read = createSecretStringReader({ client });
    await expect(read(ARN, 'Paystack')).resolves.toBe('sk_live_old');

    store.set(ARN, 'sk_live_rotated');
    jest.setSystemTime(new Date(Date.now() + (SECRET_MAX_AGE_SECONDS - 1) * 1000));
    await expect(read(ARN, 'Paystack')).resolves.toBe('sk_live_old');
    expect(calls).toHaveLength(1);

    jest.setSystemTime(new Date(Date.now() + 2000));
    await expect(read(ARN, 'Paystack')).resolves.toBe('sk_live_rotated');
    expect(calls).toEqual([ARN, ARN]);
    expect(SECRET_MAX_AGE_SECONDS).toBeLessThanOrEqual(300);
  });

  it('do not cache a failed read: the next call asks again', async () => {
    const store = new Map<string, string | Error>([[ARN, new Error('throttled')]]);
    const { client, calls } = fakeSecretsManager(store);
    const read = createSecretStringReader({ client });
    await expect(read(ARN, 'Paystack')).rejects.toThrow();
    store.set(ARN, 'sk_live_ok');
    await expect(read(ARN, 'Paystack')).resolves.toBe('sk_live_ok');
    expect(calls).toHaveLength(2);
  });

  it('parse a secret again only when its value changed', async () => {
    let raw = '{"secretKey":"a"}';
    const parse = jest.fn((s: string) => (JSON.parse(s) as { secretKey: string }).secretKey);
    const load = secretReader('Paystack', parse, async () => raw);
    expect([await load(ARN), await load(ARN)]).toEqual(['a', 'a']);
    raw = '{"secretKey":"b"}';
    expect(await load(ARN)).toBe('b');
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
