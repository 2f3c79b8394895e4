/**
 * When a dependency is down the API says so: GET /health reads the table and answers 503 when
 * it cannot, and a route whose table (or other AWS service) call fails on the network or is
 * throttled, still after the SDK's retries, answers 503 SERVICE_UNAVAILABLE with Retry-After,
 * never 500 INTERNAL. "Down" is a DynamoDB endpoint where nothing listens (the real SDK, its
 * real retries, the connection refused).
 */
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { freePort } from '../../infra/local/ports';
import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { handler as health } from '../../functions/http/health';
import { call, caller } from '../support/http';
import { useTestTable } from '../support/table';

useTestTable();

/** Calls the handler of `modulePath` as a fresh container would load it, with the table's endpoint where nothing listens. */
const withTableDown = async <T>(modulePath: string, run: (handler: unknown) => Promise<T>): Promise<T> => {
  const saved = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${await freePort()}`;
  try {
    let loaded: { handler: unknown } | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.isolateModules loads synchronously: a fresh copy of the handler with this file's endpoint
      loaded = require(modulePath) as { handler: unknown };
    });
    return await run(loaded!.handler);
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = saved;
  }
};

describe('GET /health', () => {
  it('answers 200 when the table answers', async () => {
    expect(await call(health, 'GET /health')).toMatchObject({ status: 200, body: { status: 'ok', checks: { table: 'ok' } } });
  });

  it('answers 503 with Retry-After when the table does not', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await withTableDown('../../functions/http/health', (handler) => call(handler, 'GET /health'));
      expect(res).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { table: 'unavailable' } } });
      expect(Number(res.headers?.['retry-after'])).toBeGreaterThan(0);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('A route whose dependency is unavailable', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the table refuses connections', async () => {
    const res = await withTableDown('../../functions/http/getTutor', (handler) =>
      call(handler, 'GET /tutors/{tutorId}', { as: caller('student-down', 'student'), pathParameters: { tutorId: 'tutor-down' } }),
    );
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } } });
    expect(Number(res.headers?.['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 503 SERVICE_UNAVAILABLE when the table throttles it', async () => {
    const throttled = httpHandler(
      async () => {
        throw new ProvisionedThroughputExceededException({ message: 'Throughput exceeds the current capacity', $metadata: { httpStatusCode: 400, attempts: 3 } });
      },
      { route: routes.getTutor },
    );
    const res = await call(throttled, 'GET /tutors/{tutorId}', { as: caller('student-down', 'student') });
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } } });
    expect(res.headers).toHaveProperty('retry-after');
  });

  it('still answers 500 INTERNAL for a fault of ours', async () => {
    const broken = httpHandler(async () => ok((undefined as unknown as { x: number }).x), { route: routes.getTutor });
    expect(await call(broken, 'GET /tutors/{tutorId}', { as: caller('student-down', 'student') })).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL' } } });
  });
});
