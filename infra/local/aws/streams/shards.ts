/**
 * One consumer's read of the table stream, as an event source mapping reads it: each shard from
 * where the mapping starts, a child shard once its parent is read to its end, and an expired
 * iterator renewed after the last record handed over (so nothing is read twice or skipped).
 */
import {
  type _Record as SdkRecord,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';

interface OpenShard {
  iterator: string | undefined;
  /** The last record handed to the consumer: where to resume if the iterator expires. */
  lastSequence?: string;
}

export interface ShardReader {
  /**
   * One pass over the open shards (listed again at most every second): each shard's new records,
   * in order, to `handle`, awaited before that shard is read on. True when the pass found
   * anything (records, a shard's end, a renewed iterator): the caller reads again at once.
   */
  readOnce: (handle: (records: SdkRecord[]) => Promise<void>, stopped: () => boolean) => Promise<boolean>;
}

export const shardReader = (client: DynamoDBStreamsClient, streamArn: string, from: 'TRIM_HORIZON' | 'LATEST'): ShardReader => {
  const open = new Map<string, OpenShard>();
  const finished = new Set<string>();
  let firstListing = true;
  let listedAt = 0;

  const listShards = async (): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  };

  const iteratorAt = async (shardId: string, position: { type: 'TRIM_HORIZON' | 'LATEST' } | { after: string }) => {
    const out = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...('after' in position ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position.after } : { ShardIteratorType: position.type }),
      }),
    );
    return out.ShardIterator;
  };

  const refreshShards = async () => {
    const shards = await listShards();
    const known = new Set(shards.map((s) => s.ShardId!));
    for (const s of shards) {
      const id = s.ShardId!;
      if (open.has(id) || finished.has(id)) continue;
      // Children wait for their parent (still listed and not read to its end).
      if (s.ParentShardId && known.has(s.ParentShardId) && !finished.has(s.ParentShardId)) continue;
      open.set(id, { iterator: await iteratorAt(id, { type: firstListing ? from : 'TRIM_HORIZON' }) });
    }
    firstListing = false;
    listedAt = Date.now();
  };

  return {
    readOnce: async (handle, stopped) => {
      if (firstListing || Date.now() - listedAt > 1_000) await refreshShards();
      let sawRecords = false;
      for (const [id, shard] of open) {
        if (stopped()) break;
        let out;
        try {
          out = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
        } catch (e) {
          if (!(e instanceof ExpiredIteratorException || e instanceof TrimmedDataAccessException)) throw e;
          shard.iterator = await iteratorAt(id, shard.lastSequence ? { after: shard.lastSequence } : { type: 'TRIM_HORIZON' });
          sawRecords = true;
          continue;
        }
        const records = out.Records ?? [];
        if (records.length > 0) {
          sawRecords = true;
          await handle(records);
          shard.lastSequence = records.at(-1)!.dynamodb?.SequenceNumber;
        }
        shard.iterator = out.NextShardIterator;
        if (!shard.iterator) {
          open.delete(id);
          finished.add(id);
          listedAt = 0;
          sawRecords = true;
        }
      }
      return sawRecords;
    },
  };
};
