/**
 * Sessions: the item, its index keys (derived from its state, so every write files it in
 * the right dashboard), and the transactions that create and move it. Every write names
 * the version it read (optimistic locking): a lost race is 409 INVALID_STATE.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { MAX_OPEN_REQUESTS } from '../domain/booking';
import { InvalidStateError, OpenRequestLimitError, SlotUnavailableError } from '../domain/errors';
import { BOOKING_MODES, isActive, PAYMENT_STATUSES, SESSION_STATUSES, type Actor, type Session, type SessionStatus } from '../domain/session';
import { studentPlacement, tutorBucket, type StudentView, type TutorView } from '../domain/views';
import * as z from '../schemas/zod';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { holdBlocks } from '../domain/booking';
import { entity, nullableString, optionalNullable, sameShape, storedMoney } from './entity';
import { indexText, keyText } from './access-text';
import { Hold, HostHold } from './holds';
import { openRequestsKey, sessionKey, statusPartition, statusSessionIndex, studentPartition, studentSessionIndex, tutorPartition, tutorSessionIndex } from './keys';
import { getItem, put, query, remove, update } from './ops';
import { statsDelta, statsUpdate } from './stats';
import { indexOf, type IndexId } from './table';
import { transactWrite, type TransactItem } from './transact';

/** Fields the server keeps on the item but never shows a client. */
export interface SessionInternals {
  version: number;
  /** Step Functions task tokens of the workflow's current wait, if any. */
  approvalTaskToken?: string;
  paymentTaskToken?: string;
  /** The token of the timeline's current wait (WaitUntilNextStep): a reschedule interrupts it. */
  timelineTaskToken?: string;
  /**
   * The Zoom user that hosts (or is about to host) the session's meeting. While the session is
   * active its blocks are held under that user (`hostHoldKey`): written, moved and released
   * in the same transactions as the session.
   */
  meetingHost?: string;
  /** The start time the day-before reminder was sent for (a rescheduled session is reminded again). */
  dayReminderSentFor?: string | null;
}

export interface StoredSession extends Session, SessionInternals {}

/**
 * The item changed between our read and our write (another writer got there first). The
 * caller may read again and retry if the new state still allows what it wanted to do.
 */
export class StaleSessionError extends InvalidStateError {
  constructor() {
    super('The session was changed by someone else; reload it');
  }
}

const ACTORS = ['STUDENT', 'TUTOR', 'ADMIN', 'SYSTEM'] as const satisfies readonly Actor[];

/** A session as the API shows it: what the dashboards' indexes project (./table.ts SESSION_FIELDS). */
const listedSession = z.object({
  id: z.string(),
  studentId: z.string(),
  tutorId: z.string(),
  student: z.object({ id: z.string(), displayName: z.string() }),
  tutor: z.object({ id: z.string(), displayName: z.string() }),
  title: z.string(),
  notes: nullableString,
  scheduledAt: z.string(),
  durationMinutes: z.number(),
  bufferMinutes: optionalNullable(z.number()),
  price: storedMoney,
  bookingMode: z.enum(BOOKING_MODES),
  status: z.enum(SESSION_STATUSES),
  paymentStatus: z.enum(PAYMENT_STATUSES),
  meetingUrl: nullableString,
  meetingId: optionalNullable(z.string()),
  approvalNotes: nullableString,
  rejectedAt: nullableString,
  approvalDeadline: nullableString,
  approvedAt: optionalNullable(z.string()),
  paymentDeadline: optionalNullable(z.string()),
  cancellationReason: optionalNullable(z.string()),
  cancelledAt: optionalNullable(z.string()),
  cancelledBy: optionalNullable(z.enum(ACTORS)),
  reviewedAt: optionalNullable(z.string()),
  paymentReference: optionalNullable(z.string()),
  reminderSentFor: optionalNullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
sameShape<z.output<typeof listedSession>, Session>(true);

const storedSession = z.extend(listedSession, {
  version: z.number(),
  approvalTaskToken: z.optional(z.string()),
  paymentTaskToken: z.optional(z.string()),
  timelineTaskToken: z.optional(z.string()),
  meetingHost: z.optional(z.string()),
  dayReminderSentFor: optionalNullable(z.string()),
});
sameShape<z.output<typeof storedSession>, StoredSession>(true);

/**
 * The session item: filed by its state on every write (the student's bucket on gsi1, the
 * tutor's view on gsi2, the status on gsi3), so each dashboard is one Query.
 */
export const SessionEntity = entity({
  type: 'Session',
  about: 'Session',
  key: sessionKey,
  schema: storedSession,
  listed: { gsi1: listedSession, gsi2: listedSession },
  keys: (s) => {
    const placement = studentPlacement(s);
    return {
      ...sessionKey(s.id),
      ...studentSessionIndex(s.studentId, placement.bucket, placement.at, s.id),
      ...tutorSessionIndex(s.tutorId, tutorBucket(s), s.scheduledAt, s.id),
      ...statusSessionIndex(s.status, s.scheduledAt, s.id),
    };
  },
  sample: () => ({
    ...sessionKey('<id>'),
    ...studentSessionIndex('<studentId>', '<bucket>', '<time>', '<id>'),
    ...tutorSessionIndex('<tutorId>', '<tutorView>', '<scheduledAt>', '<id>'),
    ...statusSessionIndex('<status>', '<scheduledAt>', '<id>'),
  }),
  accessPatterns: () => {
    const student = indexText('gsi1', studentPartition('<id>'));
    const tutor = indexText('gsi2', tutorPartition('<id>'));
    return [
      { pattern: 'session by id', key: keyText(sessionKey('<id>')), operation: 'GetItem' },
      { pattern: 'student: awaiting approval', key: `${student}, sk between \`awaiting#\` and \`awaiting#\\uffff\``, operation: 'Query ↑' },
      { pattern: 'student: upcoming', key: `${student}, sk between \`timeline#<now>#\\uffff\` and \`timeline#\\uffff\``, operation: 'Query ↑' },
      {
        pattern: 'student: ready for payment',
        key: "as upcoming, filter `status = SCHEDULED AND paymentStatus = PENDING` (only the student's upcoming sessions are read)",
        operation: 'Query ↑',
      },
      { pattern: 'student: history', key: `${student}, sk between \`timeline#\` and \`timeline#<now>#\\uffff\``, operation: 'Query ↓' },
      { pattern: 'student: rejected', key: `${student}, sk prefix \`rejected#\``, operation: 'Query ↓' },
      { pattern: 'tutor: approvals / pending / active', key: `${tutor}, sk prefix \`<view>#\``, operation: 'Query ↑ (soonest first)' },
      { pattern: 'tutor: completed', key: `${tutor}, sk prefix \`completed#\``, operation: 'Query ↓' },
      { pattern: 'sessions by status (admin)', key: indexText('gsi3', statusPartition('<status>')), operation: 'Query ↓' },
      {
        pattern: "what follows a write: a new booking's workflow starts, a stored notification is pushed",
        key: "the table's stream (`NEW_IMAGE`), one filtered consumer each (`INSERT` of `type = Session, sk = SESSION`; of `type = Notification`, sk prefix `NOTIFICATION#`; shared/streams/consumers.ts)",
        operation: 'DynamoDB Streams',
      },
      {
        pattern: 'move a session (reschedule)',
        key: "the session's Put (`version` and `status` condition), Put `HOLD#<block>` (`attribute_not_exists`) for blocks only in the new range, Delete (`attribute_not_exists(pk) OR sessionId = :id`: never another booking's) for blocks only in the old one; blocks in both untouched",
        operation: 'TransactWriteItems',
      },
    ];
  },
});

/** A student's count of open requests (the slot-hoarding limit), changed in the transactions that open and close them. */
export const OpenRequests = entity({
  type: 'OpenRequests',
  about: 'OpenRequests (counter)',
  key: openRequestsKey,
  schema: z.object({ openRequests: z.optional(z.number()) }),
  sample: () => openRequestsKey('<studentId>'),
  accessPatterns: () => [
    {
      pattern: `at most ${MAX_OPEN_REQUESTS} open requests`,
      key: `${keyText(openRequestsKey('<id>'))}: \`openRequests < ${MAX_OPEN_REQUESTS}\` condition, +1 on request, −1 when it leaves PENDING_MENTOR_REVIEW`,
      operation: 'in the same transaction',
    },
  ],
});

/** The session stored in an item read some other way (the session page's Query). */
export const sessionFromItem = (item: Record<string, unknown>): StoredSession => SessionEntity.parse(item);

const holdItems = (s: Session, blocks: string[]) =>
  blocks.map((block) => put({ Item: Hold.item({ tutorId: s.tutorId, blockStart: block, sessionId: s.id }), ConditionExpression: 'attribute_not_exists(pk)' }));

const releaseItems = (s: Session, blocks: string[]) =>
  blocks.map((block) =>
    remove({
      Key: Hold.key(s.tutorId, block),
      // Never free a block that another booking holds.
      ConditionExpression: 'attribute_not_exists(pk) OR sessionId = :id',
      ExpressionAttributeValues: { ':id': s.id },
    }),
  );

/** The blocks a meeting host holds for a session: the session itself (a host needs no buffer). */
export const meetingHostBlocks = (s: Pick<Session, 'scheduledAt' | 'durationMinutes'>): string[] => holdBlocks(new Date(s.scheduledAt), s.durationMinutes);

export const hostHoldItems = (host: string, sessionId: string, blocks: string[]): TransactItem[] =>
  blocks.map((block) => put({ Item: HostHold.item({ host, blockStart: block, sessionId }), ConditionExpression: 'attribute_not_exists(pk)' }));

export const hostReleaseItems = (host: string, sessionId: string, blocks: string[]): TransactItem[] =>
  blocks.map((block) =>
    remove({
      Key: HostHold.key(host, block),
      // Never free a block another session's meeting holds.
      ConditionExpression: 'attribute_not_exists(pk) OR sessionId = :id',
      ExpressionAttributeValues: { ':id': sessionId },
    }),
  );

/** A cancelled session's meeting host is free again (its blocks go in the closing transaction). */
const hostReleasedBy = (before: StoredSession, next: Session): TransactItem[] =>
  before.meetingHost && isActive(before.status) && !isActive(next.status) && next.status !== 'COMPLETED'
    ? hostReleaseItems(before.meetingHost, before.id, meetingHostBlocks(before))
    : [];

const openRequestsChange = (studentId: string, delta: 1 | -1) =>
  update({
    Key: OpenRequests.key(studentId),
    UpdateExpression: 'SET openRequests = if_not_exists(openRequests, :zero) + :d, #type = :type',
    ...(delta > 0 ? { ConditionExpression: 'attribute_not_exists(openRequests) OR openRequests < :max' } : {}),
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':zero': 0, ':d': delta, ':type': OpenRequests.type, ...(delta > 0 ? { ':max': MAX_OPEN_REQUESTS } : {}) },
  });

/**
 * Creates a session, holding its blocks on the tutor's calendar, counting it against the
 * student's open requests (REQUEST mode) and bumping the tutor's counters, all in one
 * transaction: the database refuses an overlapping booking or a sixth open request.
 */
export const insertSession = async (s: Session, blocks: string[], extra: TransactItem[] = []): Promise<StoredSession> => {
  const stored: StoredSession = { ...s, version: 1 };
  const items: TransactItem[] = [
    put({ Item: SessionEntity.item(stored), ConditionExpression: 'attribute_not_exists(pk)' }),
    ...holdItems(s, blocks),
    ...(s.status === 'PENDING_MENTOR_REVIEW' ? [openRequestsChange(s.studentId, 1)] : []),
    statsUpdate(s.tutorId, statsDelta(undefined, s), s.price.currency),
    ...extra,
  ];
  const openRequestsIndex = 1 + blocks.length;
  await transactWrite(items, (failed) => {
    if (failed.some((i) => i >= 1 && i < openRequestsIndex)) return new SlotUnavailableError('That time overlaps another booking of this tutor');
    if (s.status === 'PENDING_MENTOR_REVIEW' && failed.includes(openRequestsIndex)) {
      return new OpenRequestLimitError(`You already have ${MAX_OPEN_REQUESTS} requests waiting for an answer`);
    }
    return new InvalidStateError('The session already exists');
  });
  return stored;
};

/** `consistent`: a strongly consistent read, for a reader acting on a change it was just told of. */
export const getSession = async (id: string, opts: { consistent?: boolean } = {}): Promise<StoredSession | undefined> => {
  const item = await getItem(SessionEntity.key(id), opts.consistent ? { ConsistentRead: true } : {});
  return item ? SessionEntity.parse(item) : undefined;
};

/**
 * The transaction item that replaces a session read as `before` with `next`, only if nobody
 * changed it since (same version and status). For transactions that move money with it.
 */
export const sessionReplacement = (before: StoredSession, next: Session & Partial<SessionInternals>) => {
  const stored: StoredSession = { ...next, version: before.version + 1 };
  return {
    stored,
    put: put({
      Item: SessionEntity.item(stored),
      ConditionExpression: '#version = :version AND #status = :status',
      ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':version': before.version, ':status': before.status },
    }),
  };
};

/**
 * Moves a session from the state it was read in to `next`, only if nobody moved it first.
 * `releaseBlocks` frees its calendar blocks in the same transaction; `extra` are more writes
 * that stand or fall with the move (the notifications that tell of it).
 */
export const transitionSession = async (
  before: StoredSession,
  next: Session & Partial<SessionInternals>,
  opts: { releaseBlocks?: string[]; extra?: TransactItem[] } = {},
): Promise<StoredSession> => {
  const { items, stored } = transitionItems(before, next, opts);
  await transactWrite(items, (failed) => (failed.includes(0) ? new StaleSessionError() : new InvalidStateError('Conflicting change')));
  return stored;
};

/** What transitionSession writes (the session's Put first), for a transaction that moves more with it. */
export const transitionItems = (
  before: StoredSession,
  next: Session & Partial<SessionInternals>,
  opts: { releaseBlocks?: string[]; extra?: TransactItem[] } = {},
): { items: TransactItem[]; stored: StoredSession } => {
  const { put, stored } = sessionReplacement(before, next);
  const delta = statsDelta(before, next);
  const leftReview = before.status === 'PENDING_MENTOR_REVIEW' && next.status !== 'PENDING_MENTOR_REVIEW';
  const items = [
    put,
    ...releaseItems(next, opts.releaseBlocks ?? []),
    ...(leftReview ? [openRequestsChange(next.studentId, -1)] : []),
    ...(Object.keys(delta).length > 0 ? [statsUpdate(next.tutorId, delta, next.price.currency)] : []),
    ...hostReleasedBy(before, next),
    ...(opts.extra ?? []),
  ];
  return { items, stored };
};

/**
 * Moves a session in time (a reschedule), in one transaction: the session is replaced only
 * if nobody changed it since it was read (StaleSessionError), the blocks it newly covers are
 * put with `attribute_not_exists` (SlotUnavailableError if another booking holds one), and
 * the blocks it no longer covers are deleted (only if they are its own). Blocks in both the
 * old and the new range stay as they are: the session never conflicts with itself. `extra`
 * are more writes that stand or fall with the move (its notification, its workflow callbacks).
 */
export const moveSession = async (
  before: StoredSession,
  next: Session & Partial<SessionInternals>,
  blocks: { hold: string[]; release: string[] },
  extra: TransactItem[] = [],
  /** The error for failed conditions among `extra` (indexes into it), if they say more than the rest. */
  extraFailed: (failed: number[]) => Error | undefined = () => undefined,
): Promise<StoredSession> => {
  const { put, stored } = sessionReplacement(before, next);
  const host = hostMove(before, next);
  const items: TransactItem[] = [put, ...holdItems(next, blocks.hold), ...host.hold, ...releaseItems(next, blocks.release), ...host.release, ...extra];
  const extraStart = items.length - extra.length;
  await transactWrite(items, (failed) => {
    const own = extraFailed(failed.filter((i) => i >= extraStart).map((i) => i - extraStart));
    if (own) return own;
    if (failed.includes(0)) return new StaleSessionError();
    if (failed.some((i) => i >= 1 && i <= blocks.hold.length)) return new SlotUnavailableError('That time overlaps another booking of this tutor');
    if (failed.some((i) => i > blocks.hold.length && i <= blocks.hold.length + host.hold.length)) {
      return new SlotUnavailableError('The meeting host of this session has another meeting at that time');
    }
    return new InvalidStateError('Conflicting change');
  });
  return stored;
};

/** The meeting host's blocks move with the session: those only in the new range are held, those only in the old one freed. */
const hostMove = (before: StoredSession, next: Session & Partial<SessionInternals>): { hold: TransactItem[]; release: TransactItem[] } => {
  if (!before.meetingHost || next.meetingHost !== before.meetingHost) return { hold: [], release: [] };
  const was = meetingHostBlocks(before);
  const now = meetingHostBlocks(next);
  return {
    hold: hostHoldItems(
      before.meetingHost,
      before.id,
      now.filter((b) => !was.includes(b)),
    ),
    release: hostReleaseItems(
      before.meetingHost,
      before.id,
      was.filter((b) => !now.includes(b)),
    ),
  };
};

/** A page of a dashboard's index: only what the index projects (the API's session), no version or task token. */
const queryPage = async (
  index: IndexId,
  input: Omit<QueryCommandInput, 'TableName' | 'IndexName' | 'ExclusiveStartKey' | 'Limit'>,
  start: Record<string, string> | undefined,
  limit: number,
): Promise<Page<Session>> => {
  const out = await query({ ...input, IndexName: indexOf(index).name, ExclusiveStartKey: start, Limit: limit });
  return { items: (out.Items ?? []).map((i) => (index === 'gsi3' ? SessionEntity.parse(i) : SessionEntity.parseListed(index, i))), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};

const HIGH = '\uffff';

interface RangeQuery {
  index: IndexId;
  partition: string;
  /** Inclusive sort-key range; every key of the view lies in it. */
  from: string;
  to: string;
  forward: boolean;
  filter?: Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;
}

const rangePage = async (q: RangeQuery, cursor: string | undefined, limit: number): Promise<Page<Session>> => {
  const { partitionKey: pk, sortKey: sk } = indexOf(q.index);
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk', pk, sk], partition: [pk, q.partition] });
  // A cursor whose key has since left the range (a session ended between two pages) ends the list.
  if (start && (start[sk]! < q.from || start[sk]! > q.to)) return { items: [], nextCursor: null };
  return queryPage(
    q.index,
    {
      KeyConditionExpression: `${pk} = :p AND ${sk} BETWEEN :from AND :to`,
      ...q.filter,
      ExpressionAttributeValues: { ':p': q.partition, ':from': q.from, ':to': q.to, ...q.filter?.ExpressionAttributeValues },
      ScanIndexForward: q.forward,
    },
    start,
    limit,
  );
};

/** A student's dashboard view: one Query on gsi1 (see docs/access-patterns.md). */
export const listStudentSessions = (studentId: string, view: StudentView, now: Date, cursor: string | undefined, limit: number) => {
  const partition = studentPartition(studentId);
  // Keys on the timeline are `timeline#<end or close time>#<id>`; this splits them at now.
  const split = `timeline#${now.toISOString()}#${HIGH}`;
  const q = ((): RangeQuery => {
    switch (view) {
      case 'awaiting-approval':
        return { index: 'gsi1', partition, from: 'awaiting#', to: `awaiting#${HIGH}`, forward: true };
      case 'rejected':
        return { index: 'gsi1', partition, from: 'rejected#', to: `rejected#${HIGH}`, forward: false };
      case 'upcoming':
        return { index: 'gsi1', partition, from: split, to: `timeline#${HIGH}`, forward: true };
      case 'ready-for-payment':
        return {
          index: 'gsi1',
          partition,
          from: split,
          to: `timeline#${HIGH}`,
          forward: true,
          filter: {
            FilterExpression: '#status = :scheduled AND paymentStatus = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':scheduled': 'SCHEDULED', ':pending': 'PENDING' },
          },
        };
      case 'history':
        return { index: 'gsi1', partition, from: 'timeline#', to: split, forward: false };
    }
  })();
  return rangePage(q, cursor, limit);
};

/** A tutor's dashboard view: one Query on gsi2. Completed newest first, the rest soonest first. */
export const queryTutorSessions = (tutorId: string, view: TutorView, cursor: string | undefined, limit: number) =>
  rangePage({ index: 'gsi2', partition: tutorPartition(tutorId), from: `${view}#`, to: `${view}#${HIGH}`, forward: view !== 'completed' }, cursor, limit);

/** Sessions in one status, newest start first: one Query on gsi3. */
export const listSessionsByStatus = (status: SessionStatus, cursor: string | undefined, limit: number) =>
  rangePage({ index: 'gsi3', partition: statusPartition(status), from: '0', to: HIGH, forward: false }, cursor, limit);
