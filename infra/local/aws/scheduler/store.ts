/**
 * Where the local scheduler keeps its schedules and dead letters, so a restart of the local stack
 * loses none: the application's own table (on AWS, EventBridge Scheduler keeps them itself), one
 * partition for all (a few hundred at most: listing is one Query, no index):
 *   pk = LOCAL_SCHEDULES   sk = SCHEDULE#<group>#<name>                  data = the record (JSON)
 *   pk = LOCAL_SCHEDULES   sk = DEAD_LETTER#<ISO time>#<group>#<name>    data = the dead letter (JSON)
 * The scheduler holds the schedules in memory and writes each change through; it is the only
 * writer, so the store needs no conditions.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../../shared/config';
import type { DeadLetter, ScheduleRecord } from './model';

export interface ScheduleStore {
  save(record: ScheduleRecord): Promise<void>;
  remove(groupName: string, name: string): Promise<void>;
  /** Every schedule, at start. */
  load(): Promise<ScheduleRecord[]>;
  saveDeadLetter(letter: DeadLetter): Promise<void>;
  /** Oldest first. */
  deadLetters(): Promise<DeadLetter[]>;
}

export const LOCAL_SCHEDULES_PARTITION = 'LOCAL_SCHEDULES';
const SCHEDULE_PREFIX = 'SCHEDULE#';
const DEAD_LETTER_PREFIX = 'DEAD_LETTER#';
/** Dead letters disappear after 14 days, as an SQS queue's messages do at most (the table's TTL attribute). */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

export const localScheduleKey = (groupName: string, name: string) => ({ pk: LOCAL_SCHEDULES_PARTITION, sk: `${SCHEDULE_PREFIX}${groupName}#${name}` });
const deadLetterKey = (l: DeadLetter) => ({ pk: LOCAL_SCHEDULES_PARTITION, sk: `${DEAD_LETTER_PREFIX}${new Date(l.deadLetteredAt).toISOString()}#${l.groupName}#${l.name}` });

/** Keeps nothing past the process (unit tests). */
export const memoryScheduleStore = (): ScheduleStore & { records: Map<string, ScheduleRecord>; letters: DeadLetter[] } => {
  const records = new Map<string, ScheduleRecord>();
  const letters: DeadLetter[] = [];
  return {
    records,
    letters,
    save: async (r) => void records.set(localScheduleKey(r.groupName, r.name).sk, structuredClone(r)),
    remove: async (groupName, name) => void records.delete(localScheduleKey(groupName, name).sk),
    load: async () => [...records.values()].map((r) => structuredClone(r)),
    saveDeadLetter: async (l) => void letters.push(structuredClone(l)),
    deadLetters: async () => letters.map((l) => structuredClone(l)),
  };
};

export interface DynamoScheduleStoreOptions {
  /** Default: config().tableName (TABLE_NAME). */
  tableName?: string;
  /** Default: a document client with the SDK's default configuration (AWS_ENDPOINT_URL_DYNAMODB). */
  client?: DynamoDBDocumentClient;
}

/** Schedules in the application's table (the local stack's store). */
export const dynamoScheduleStore = (opts: DynamoScheduleStoreOptions = {}): ScheduleStore => {
  let client = opts.client;
  const ddb = () => (client ??= DynamoDBDocumentClient.from(new DynamoDBClient({})));
  const table = () => opts.tableName ?? config().tableName;
  const query = async (prefix: string): Promise<string[]> => {
    const out: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await ddb().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': LOCAL_SCHEDULES_PARTITION, ':s': prefix },
          ConsistentRead: true,
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      for (const item of res.Items ?? []) out.push(item.data as string);
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  };
  return {
    async save(record) {
      // One string: DynamoDB needs no schema for it and the optional fields need no care.
      await ddb().send(new PutCommand({ TableName: table(), Item: { ...localScheduleKey(record.groupName, record.name), type: 'LocalSchedule', data: JSON.stringify(record) } }));
    },
    async remove(groupName, name) {
      await ddb().send(new DeleteCommand({ TableName: table(), Key: localScheduleKey(groupName, name) }));
    },
    load: async () => (await query(SCHEDULE_PREFIX)).map((d) => JSON.parse(d) as ScheduleRecord),
    async saveDeadLetter(letter) {
      await ddb().send(
        new PutCommand({
          TableName: table(),
          Item: {
            ...deadLetterKey(letter),
            type: 'LocalScheduleDeadLetter',
            data: JSON.stringify(letter),
            expiresAt: Math.floor(letter.deadLetteredAt / 1000) + DEAD_LETTER_RETENTION_SECONDS,
          },
        }),
      );
    },
    deadLetters: async () => (await query(DEAD_LETTER_PREFIX)).map((d) => JSON.parse(d) as DeadLetter),
  };
};
