import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { health } from '../../shared/usecases/health';
import * as routes from '../../shared/http/routes';

/**
 * Readiness: 200 when the table answers a read (shared/data/health.ts), 503 (with Retry-After)
 * when it does not, so a probe or a load balancer sees what the routes would meet.
 *
 * It stays outside the middy chain the other routes share: that chain (middy, zod, Powertools)
 * is ~14 ms of cold start, measured by `npm run bench`, which a probe would pay for nothing;
 * the bare DynamoDB client is all it loads. The contract is declared like the others' for
 * the OpenAPI document; the header matches shared/http/handler.ts's JSON answers.
 */
export const HEALTH_RETRY_AFTER_SECONDS = 5;

const reply = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

const answer = async (_event?: unknown, context?: Pick<Context, 'functionName'>): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    await health();
  } catch (e) {
    // One line for operators, in the JSON shape of the other functions' logs (no Powertools here).
    console.error(
      JSON.stringify({
        level: 'ERROR',
        message: 'Health check: the table did not answer',
        function_name: context?.functionName,
        error: { name: (e as Error)?.name, message: (e as Error)?.message },
      }),
    );
    return reply(503, { status: 'unavailable', checks: { table: 'unavailable' } }, { 'retry-after': String(HEALTH_RETRY_AFTER_SECONDS) });
  }
  return reply(200, { status: 'ok', checks: { table: 'ok' } });
};

export const handler = Object.assign(answer, { contract: Object.freeze({ route: routes.health }) });
