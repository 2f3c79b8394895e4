/**
 * Starts one in-memory DynamoDB Local for the whole test run on a free loopback port.
 * Workers inherit the endpoint through the environment; each test file makes its own table.
 */
import { startDynamoLocal, LOCAL_AWS_ENV } from '../../infra/local/aws/dynamo';

export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoLocal();
  Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
  (globalThis as { __DYNAMO__?: typeof dynamo }).__DYNAMO__ = dynamo;
}
