/** The table's stream as Lambda's event source mapping hands it over: records in Lambda's JSON form, a consumer's context. */
import { randomUUID } from 'node:crypto';
import type { _Record as SdkRecord, AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, Context, DynamoDBRecord } from 'aws-lambda';
import { TABLE } from '../../../../shared/data/table';
import { LOCAL_AWS_ENV } from '../dynamo';

export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: process.env.AWS_REGION ?? LOCAL_AWS_ENV.AWS_REGION,
  credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
});

/** The table's stream, enabled first if the table predates it (data kept from an earlier `npm start`). */
export const ensureStream = async (endpoint: string, tableName: string): Promise<string> => {
  const ddb = new DynamoDBClient(clientConfig(endpoint));
  try {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.LatestStreamArn && Table.StreamSpecification?.StreamEnabled) return Table.LatestStreamArn;
    const out = await ddb.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamViewType } }));
    const arn = out.TableDescription?.LatestStreamArn;
    if (!arn) throw new Error(`DynamoDB Local gave table ${tableName} no stream`);
    return arn;
  } finally {
    ddb.destroy();
  }
};

/** The SDK's attribute values in Lambda's JSON form (binary as base64, as Lambda delivers it). */
const toLambdaValue = (v: SdkAttributeValue): AttributeValue => {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.M !== undefined) return { M: toLambdaImage(v.M) };
  if (v.L !== undefined) return { L: v.L.map(toLambdaValue) };
  return v as AttributeValue;
};
const toLambdaImage = (image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaValue(v)]));

/** A record as Lambda hands it to a DynamoDB stream consumer. */
export const toLambdaRecord = (r: SdkRecord, streamArn: string, region: string): DynamoDBRecord => {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID!,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d.ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) } : {}),
      ...(d.Keys ? { Keys: toLambdaImage(d.Keys) } : {}),
      ...(d.NewImage ? { NewImage: toLambdaImage(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: toLambdaImage(d.OldImage) } : {}),
      ...(d.SequenceNumber ? { SequenceNumber: d.SequenceNumber } : {}),
      ...(d.SizeBytes !== undefined ? { SizeBytes: d.SizeBytes } : {}),
      ...(d.StreamViewType ? { StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'] } : {}),
    },
  };
};

export const lambdaContext = (consumer: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: `mentorship-local-stream-${consumer}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${LOCAL_AWS_ENV.AWS_REGION}:000000000000:function:mentorship-local-stream-${consumer}`,
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/mentorship-local-stream-${consumer}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 60_000,
  /* eslint-disable @typescript-eslint/no-deprecated -- the Context type still requires the legacy callback members */
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
  /* eslint-enable @typescript-eslint/no-deprecated */
});
