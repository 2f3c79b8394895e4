/**
 * The DynamoDB document client, created once per container with the SDK's default
 * configuration: locally, AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local.
 * Only modules under shared/data import this.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
