import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Liveness. It reads nothing and takes no input, so it stays outside the middy chain the other
 * routes share: that chain (middy, zod, Powertools) is ~14 ms of cold start, measured by
 * `npm run bench`, which a health probe would pay for nothing. The contract is declared like
 * the others' for the OpenAPI document; the header matches shared/http/handler.ts's JSON answers.
 */
const answer = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ status: 'ok' }),
});

export const handler = Object.assign(answer, { contract: Object.freeze({ auth: false }) });
