/**
 * The database floor: the DynamoDB calls a route makes (the probe records their inputs in
 * phase 3), issued straight to the same DynamoDB Local with the same SDK and client
 * configuration the handlers use, nothing else. Reads are replayed as recorded; writes are
 * retargeted at a fresh booking (bookingPairs, fixVersions), since as recorded their conditions
 * would fail.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';

export type RawDdb = DynamoDBDocumentClient;

/** Same configuration as shared/data/client.ts (build it after the stack set the environment). */
export const rawClient = (): RawDdb => DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

const COMMANDS: Record<string, new (input: any) => any> = {
  GetItemCommand: GetCommand,
  QueryCommand: QueryCommand,
  BatchGetItemCommand: BatchGetCommand,
  TransactGetItemsCommand: TransactGetCommand,
  TransactWriteItemsCommand: TransactWriteCommand,
  PutItemCommand: PutCommand,
  UpdateItemCommand: UpdateCommand,
  DeleteItemCommand: DeleteCommand,
  BatchWriteItemCommand: BatchWriteCommand,
  ScanCommand: ScanCommand,
};

export interface RawCall {
  command: string;
  input: Record<string, unknown>;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces every `from` by its `to` in one pass (a replacement is never replaced again). */
export const substitute = (calls: readonly RawCall[], pairs: readonly (readonly [string, string])[]): RawCall[] => {
  const map = new Map(pairs.filter(([from, to]) => from && from !== to));
  const text = JSON.stringify(calls);
  if (map.size === 0) return JSON.parse(text) as RawCall[];
  const re = new RegExp(
    [...map.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRe)
      .join('|'),
    'g',
  );
  return JSON.parse(text.replace(re, (m) => map.get(m)!)) as RawCall[];
};

export interface BookingRef {
  id: string;
  studentId: string;
  tutorId: string;
  scheduledAt: string;
}

const BLOCK_MS = 15 * 60_000;

/**
 * What to replace to turn the calls of booking `from` into the calls of booking `to`: its session
 * id, student id, tutor id and 15-minute block times, all at once (the slot is held, the session
 * moved on: the recorded writes' conditions would fail as they are).
 */
export const bookingPairs = (from: BookingRef, to: BookingRef): [string, string][] => {
  const pairs: [string, string][] = [
    [from.id, to.id],
    [from.studentId, to.studentId],
    [from.tutorId, to.tutorId],
  ];
  const a = Date.parse(from.scheduledAt);
  const b = Date.parse(to.scheduledAt);
  // Every block the session covers and its end (sessions here last 30 to 90 minutes).
  for (let k = 0; k <= 8; k++) pairs.push([new Date(a + k * BLOCK_MS).toISOString(), new Date(b + k * BLOCK_MS).toISOString()]);
  return pairs;
};

type Item = Record<string, unknown>;

/** A session Put conditioned on the version it read gets the version this replay read. */
const fixVersions = (input: Record<string, unknown>, seen: Map<string, Item>) => {
  const items = (input.TransactItems as { Put?: { Item: Item; ConditionExpression?: string; ExpressionAttributeValues?: Item } }[] | undefined) ?? [];
  for (const t of items) {
    const put = t.Put;
    if (!put?.ConditionExpression?.includes(':version') || !put.ExpressionAttributeValues) continue;
    const read = seen.get(`${String(put.Item.pk)}|${String(put.Item.sk)}`);
    if (!read || typeof read.version !== 'number') continue;
    put.ExpressionAttributeValues[':version'] = read.version;
    if (':status' in put.ExpressionAttributeValues) put.ExpressionAttributeValues[':status'] = read.status;
    put.Item.version = read.version + 1;
  }
};

const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RawOutcome {
  ok: boolean;
  ms: number;
  calls: number;
  conflicts: number;
  error?: string;
}

/** Runs the calls in order, as the handler does, and times them; transactions retried on TransactionConflict as shared/data/transact.ts does. */
export const execute = async (raw: RawDdb, calls: readonly RawCall[]): Promise<RawOutcome> => {
  const seen = new Map<string, Item>();
  let conflicts = 0;
  let sent = 0;
  const t0 = performance.now();
  try {
    for (const call of calls) {
      const Command = COMMANDS[call.command];
      if (!Command) throw new Error(`No document command for ${call.command}`);
      if (call.command === 'TransactWriteItemsCommand') fixVersions(call.input, seen);
      for (let attempt = 1; ; attempt += 1) {
        try {
          sent += 1;
          const out = (await raw.send(new Command(call.input))) as { Item?: Item; Items?: Item[] };
          for (const item of [out.Item, ...(out.Items ?? [])]) if (item?.pk !== undefined) seen.set(`${String(item.pk)}|${String(item.sk)}`, item);
          break;
        } catch (e) {
          const conflict = e instanceof TransactionCanceledException && (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
          const failed = e instanceof TransactionCanceledException && (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
          if (!conflict || failed || attempt >= MAX_ATTEMPTS) throw e;
          conflicts += 1;
          await sleep(Math.random() * 20 * 2 ** attempt);
        }
      }
    }
    return { ok: true, ms: performance.now() - t0, calls: sent, conflicts };
  } catch (e) {
    const err = e as { name?: string; CancellationReasons?: { Code?: string }[] };
    const reasons = err.CancellationReasons?.map((r) => r.Code).join(',');
    return { ok: false, ms: performance.now() - t0, calls: sent, conflicts, error: `${err.name ?? 'Error'}${reasons ? `(${reasons})` : ''}` };
  }
};
