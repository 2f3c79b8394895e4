/**
 * Where the local Step Functions service keeps its executions so a restart loses no booking: one
 * item per execution in the application's table (pk LOCAL_EXECUTION#<name>; listed newest first
 * on gsi3, LOCAL_EXECUTIONS). Written on every state entry (and other events, coalesced), so
 * after a kill -9 an execution resumes from the last state it entered.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../../shared/config';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * One event of an execution's history, in the shape GetExecutionHistory returns it
 * (`timestamp` in epoch milliseconds here; the API sends epoch seconds). The details sit
 * under AWS's key for the type, e.g. `stateEnteredEventDetails: { name, input }`.
 */
export interface LocalHistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  /** JSON text, as StartExecution received it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Epoch ms. */
  startDate: number;
  stopDate?: number;
  /** The state a RUNNING execution last entered, and its input there (JSON text): where a resume starts. */
  currentState?: string;
  stateInput?: string;
  /** Epoch ms of that entry. */
  enteredAt?: number;
  /** When the current timed wait (a callback's timeout, a Wait's duration) started counting, epoch ms. */
  timerStartedAt?: number;
  /** The task token the current callback wait was given (for inspection: a resumed wait gets a new one, which its step stores again). */
  taskToken?: string;
  /** State entries and retries, as AWS bills them. */
  stateTransitions: number;
  /** Events so far (the history kept may be shorter: see HISTORY_LIMIT). */
  eventCount: number;
  history: LocalHistoryEvent[];
  /** Epoch ms of the last write. */
  updatedAt: number;
}

export type ExecutionSummary = Omit<ExecutionRecord, 'history'>;

export interface ExecutionStore {
  save(record: ExecutionRecord): Promise<void>;
  get(name: string): Promise<ExecutionRecord | undefined>;
  /** Newest first, without histories. */
  list(opts?: { status?: ExecutionStatus }): Promise<ExecutionSummary[]>;
}

/** The stored history keeps the latest events only. */
export const HISTORY_LIMIT = 200;
/** DynamoDB items stop at 400 KB: the stored history is trimmed further when its events are big. */
const HISTORY_MAX_CHARS = 300_000;
/** Finished executions disappear after 90 days, as on AWS (the table's TTL attribute). */
const RETENTION_SECONDS = 90 * 24 * 3600;

export const LOCAL_EXECUTIONS_PARTITION = 'LOCAL_EXECUTIONS';
export const localExecutionKey = (name: string) => ({ pk: `LOCAL_EXECUTION#${name}`, sk: 'EXECUTION' });
const localExecutionIndex = (startDate: number, name: string) => ({
  gsi3pk: LOCAL_EXECUTIONS_PARTITION,
  gsi3sk: `${new Date(startDate).toISOString()}#${name}`,
});

/** The latest events, at most HISTORY_LIMIT and HISTORY_MAX_CHARS of JSON. */
export const trimHistory = (history: readonly LocalHistoryEvent[]): LocalHistoryEvent[] => {
  const kept = history.slice(-HISTORY_LIMIT);
  let size = JSON.stringify(kept).length;
  while (kept.length > 1 && size > HISTORY_MAX_CHARS) size -= JSON.stringify(kept.shift()).length + 1;
  return kept;
};

const summary = ({ history: _history, ...rest }: ExecutionRecord): ExecutionSummary => rest;
const byNewest = (a: ExecutionSummary, b: ExecutionSummary) => b.startDate - a.startDate || (a.name < b.name ? 1 : -1);

/** Keeps executions in memory only (tests, or a runner that needs no resume). */
export const memoryExecutionStore = (): ExecutionStore & { records: Map<string, ExecutionRecord> } => {
  const records = new Map<string, ExecutionRecord>();
  return {
    records,
    save: async (record) => void records.set(record.name, structuredClone({ ...record, history: trimHistory(record.history) })),
    get: async (name) => {
      const r = records.get(name);
      return r && structuredClone(r);
    },
    list: async (opts = {}) =>
      [...records.values()]
        .filter((r) => !opts.status || r.status === opts.status)
        .map((r) => summary(structuredClone(r)))
        .sort(byNewest),
  };
};

export interface DynamoExecutionStoreOptions {
  /** Default: config().tableName (TABLE_NAME). */
  tableName?: string;
  /** Default: a document client with the SDK's default configuration (AWS_ENDPOINT_URL_DYNAMODB). */
  client?: DynamoDBDocumentClient;
}

type StoredItem = Omit<ExecutionRecord, 'history'> & { history: string; pk: string; sk: string; gsi3pk: string; gsi3sk: string; expiresAt?: number };

const fromItem = (item: Record<string, unknown>): ExecutionRecord => {
  const { pk: _pk, sk: _sk, gsi3pk: _g, gsi3sk: _s, expiresAt: _e, history, ...rest } = item as StoredItem;
  return { ...rest, history: typeof history === 'string' ? (JSON.parse(history) as LocalHistoryEvent[]) : [] };
};

/** Executions in the application's table (the local stack's store). */
export const dynamoExecutionStore = (opts: DynamoExecutionStoreOptions = {}): ExecutionStore => {
  let client = opts.client;
  const ddb = () => (client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }));
  const table = () => opts.tableName ?? config().tableName;

  return {
    async save(record) {
      const item: StoredItem = {
        ...record,
        ...localExecutionKey(record.name),
        ...localExecutionIndex(record.startDate, record.name),
        // A string: DynamoDB needs no schema for it and its nesting limit does not apply.
        history: JSON.stringify(trimHistory(record.history)),
        ...(record.stopDate !== undefined ? { expiresAt: Math.floor(record.stopDate / 1000) + RETENTION_SECONDS } : {}),
      };
      await ddb().send(new PutCommand({ TableName: table(), Item: item }));
    },
    async get(name) {
      const res = await ddb().send(new GetCommand({ TableName: table(), Key: localExecutionKey(name), ConsistentRead: true }));
      return res.Item ? fromItem(res.Item) : undefined;
    },
    async list(listOpts = {}) {
      const out: ExecutionSummary[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const res = await ddb().send(
          new QueryCommand({
            TableName: table(),
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi3pk = :p',
            ExpressionAttributeValues: { ':p': LOCAL_EXECUTIONS_PARTITION },
            ScanIndexForward: false,
            ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
          }),
        );
        for (const item of res.Items ?? []) {
          const r = summary(fromItem(item));
          if (!listOpts.status || r.status === listOpts.status) out.push(r);
        }
        ExclusiveStartKey = res.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out;
    },
  };
};
