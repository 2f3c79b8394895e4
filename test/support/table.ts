import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../infra/local/aws/dynamo';

/** Creates this test file's table before its tests and deletes it after. */
export const useTestTable = (): void => {
  beforeAll(async () => {
    await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB!, process.env.TABLE_NAME!);
  });
  afterAll(async () => {
    const client = new DynamoDBClient({});
    await client.send(new DeleteTableCommand({ TableName: process.env.TABLE_NAME! }));
    client.destroy();
  });
};
