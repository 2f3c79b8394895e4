/**
 * docs/access-patterns.md, written from the declarations: the items table from every entity
 * of ./entities.ts (its keys built by the same builders the code writes with), the access
 * patterns from the list below. `npm run docs:access-patterns` writes it; a test fails when
 * the committed file differs.
 */
import { ENTITIES } from './entities';
import { KEY_ATTRIBUTES } from './entity';
import { TABLE } from './table';

export const ACCESS_PATTERNS_FILE = 'docs/access-patterns.md';

export interface AccessPattern {
  pattern: string;
  key: string;
  operation: string;
}

/** Items the table holds that no runtime module writes (the local stack's own). */
const LOCAL_ITEMS = [
  {
    about: 'LocalExecution (local stack only: the local Step Functions’ executions, infra/local/workflow/store.ts)',
    keys: { pk: 'LOCAL_EXECUTION#<name>', sk: 'EXECUTION', gsi3pk: 'LOCAL_EXECUTIONS', gsi3sk: '<startDate>#<name>' },
  },
];

export const ACCESS_PATTERNS: readonly AccessPattern[] = [
  { pattern: 'session by id', key: '`pk=SESSION#<id>, sk=SESSION`', operation: 'GetItem' },
  { pattern: 'student: awaiting approval', key: 'gsi1 `STUDENT#<id>`, sk between `awaiting#` and `awaiting#\\uffff`', operation: 'Query ↑' },
  { pattern: 'student: upcoming', key: 'gsi1 `STUDENT#<id>`, sk between `timeline#<now>#\\uffff` and `timeline#\\uffff`', operation: 'Query ↑' },
  {
    pattern: 'student: ready for payment',
    key: "as upcoming, filter `status = SCHEDULED AND paymentStatus = PENDING` (only the student's upcoming sessions are read)",
    operation: 'Query ↑',
  },
  { pattern: 'student: history', key: 'gsi1 `STUDENT#<id>`, sk between `timeline#` and `timeline#<now>#\\uffff`', operation: 'Query ↓' },
  { pattern: 'student: rejected', key: 'gsi1 `STUDENT#<id>`, sk prefix `rejected#`', operation: 'Query ↓' },
  { pattern: 'tutor: approvals / pending / active', key: 'gsi2 `TUTOR#<id>`, sk prefix `<view>#`', operation: 'Query ↑ (soonest first)' },
  { pattern: 'tutor: completed', key: 'gsi2 `TUTOR#<id>`, sk prefix `completed#`', operation: 'Query ↓' },
  { pattern: 'tutor: dashboard counts', key: "`pk=TUTOR#<id>, sk=STATS` (changed in every transition's transaction)", operation: 'GetItem' },
  { pattern: 'sessions by status (admin)', key: 'gsi3 `STATUS#<status>`', operation: 'Query ↓' },
  {
    pattern: "a user's notifications, newest first, with the unread count",
    key: '`pk=USER#<id>`, sk prefix `NOTIFICATION#`, descending (the counter comes first)',
    operation: 'Query ↓',
  },
  {
    pattern: 'an event stored once per producer',
    key: "Put `NOTIFIED#…` with `attribute_not_exists` in the notification's transaction (approve and reject: in the decision's own transaction)",
    operation: 'TransactWriteItems',
  },
  {
    pattern: "what follows a write: a new booking's workflow starts, a stored notification is pushed",
    key: "the table's stream (`NEW_IMAGE`), one filtered consumer each (`INSERT` of `type = Session, sk = SESSION`; of `type = Notification`, sk prefix `NOTIFICATION#`; shared/streams/filters.ts)",
    operation: 'DynamoDB Streams',
  },
  { pattern: 'refunds owed by status (admin)', key: 'gsi3 `REFUNDS#<status>`', operation: 'Query ↓' },
  {
    pattern: 'a refund owed, recorded once with what makes it owed',
    key: "Put `pk=PAYMENT#<reference>, sk=REFUND` with `attribute_not_exists(pk)`, with the session's cancel (or the late payment's record) and the payment's `PAID → REFUND_PENDING` (`refundedAmount` unchanged)",
    operation: 'TransactWriteItems',
  },
  {
    pattern: 'a refund owed is asked of Paystack',
    key: "the table's stream, consumer `requestRefunds` (`INSERT` of `type = Refund, sk = REFUND, status = OWED`; later changes of the record do not ask again)",
    operation: 'DynamoDB Streams',
  },
  {
    pattern: 'settle what Paystack refunded, once',
    key: "the payment's Update (`refundedAmount = :before`), a ledger entry `LEDGER#<reference>#REVERSAL#<new total>` (`attribute_not_exists`), the wallet's ADD, and for a full refund the session's Put (`version` condition) and the refund's status",
    operation: 'TransactWriteItems',
  },
  {
    pattern: "a refund's reversal never takes the available balance below zero",
    key: "the wallet's Update is conditional: `balance >= :share`, else (a withdrawal took the money) `balance = :read` taking what was read and recording the rest as `shortfall`",
    operation: 'in the same TransactWriteItems',
  },
  {
    pattern: 'payout account (on the wallet item `LEDGER#~WALLET`: `payoutAccount`, `pending`, `inFlight`)',
    key: "Update `SET payoutAccount` with `attribute_not_exists(inFlight) OR inFlight <= 0`, with the tutor's notification",
    operation: 'TransactWriteItems',
  },
  {
    pattern: 'a withdrawal, once, never more than the balance',
    key: "the wallet's Update `ADD balance -a, pending a, inFlight 1` on `balance >= :a AND payoutAccount.recipientCode = :rc`, Put `WITHDRAWAL#<id>` and its `WITHDRAWAL_WATCH` (`attribute_not_exists`); an admin retry adds the original's `retriedAs` (`status IN (FAILED, REVERSED) AND attribute_not_exists(retriedAs)`)",
    operation: 'TransactWriteItems',
  },
  {
    pattern: "a withdrawal's transfer is asked of Paystack",
    key: "the table's stream, consumer `requestRefunds` (`INSERT` of `type = Withdrawal, sk = WITHDRAWAL, status = PENDING`), then Update PENDING → PROCESSING",
    operation: 'DynamoDB Streams, UpdateItem',
  },
  {
    pattern: 'settle a transfer, once',
    key: "the withdrawal's Update (`status IN (PENDING, PROCESSING)`, or `SUCCEEDED` for a later reversal), the wallet's ADD (`pending`, `inFlight`, `withdrawn`, `balance`), a ledger entry `LEDGER#<reference>#PAYOUT` (or `#PAYOUT_REVERSAL`, `attribute_not_exists`) and the tutor's notification",
    operation: 'TransactWriteItems',
  },
  { pattern: "a tutor's withdrawals, newest first", key: 'gsi2 `TUTOR_WITHDRAWALS#<tutorId>`', operation: 'Query ↓' },
  { pattern: 'withdrawals by status (admin)', key: 'gsi3 `WITHDRAWALS#<status>`', operation: 'Query ↓' },
  { pattern: 'local workflow executions (local stack)', key: 'gsi3 `LOCAL_EXECUTIONS`', operation: 'Query ↓' },
  { pattern: 'tutors for browsing', key: 'gsi3 `TUTORS`', operation: 'Query' },
  { pattern: 'tutor profile', key: '`pk=TUTOR#<id>, sk=PROFILE`', operation: 'GetItem' },
  { pattern: 'tutor profile with its newest reviews', key: '`pk=TUTOR#<id>`, sk between `PROFILE` and `REVIEW#~`', operation: 'Query ↑ (profile, then newest reviews)' },
  {
    pattern: 'one review per session',
    key: "the session's `reviewedAt` set with `attribute_not_exists(reviewedAt)` in the review's transaction, with the profile's `ADD ratingCount 1, ratingSum :rating` (`attribute_exists(ratingSum) OR ratingCount = 0`; a profile stored with an average and no sum: read once, its sum written on `ratingCount = :old`)",
    operation: 'TransactWriteItems',
  },
  { pattern: 'user', key: '`pk=USER#<id>, sk=USER`', operation: 'GetItem' },
  {
    pattern: 'GET /me: the user, their tutor profile, their application to tutor, the unread counter',
    key: '`pk=USER#<id>` sk `USER`, `TUTOR_APPLICATION`, `NOTIFICATION#~UNREAD`; `pk=TUTOR#<id>, sk=PROFILE` (consistent)',
    operation: 'BatchGetItem',
  },
  {
    pattern: "sign-up: a new student's user item, once",
    key: 'Put `pk=USER#<id>, sk=USER` with `attribute_not_exists(pk)`; a retry gets the stored item back with the failed condition (`ReturnValuesOnConditionCheckFailure`)',
    operation: 'PutItem',
  },
  { pattern: 'apply to tutor', key: 'Put `pk=USER#<id>, sk=TUTOR_APPLICATION` with `attribute_not_exists(pk) OR status = DECLINED`', operation: 'PutItem' },
  { pattern: 'applications to tutor by status (admin)', key: 'gsi3 `TUTOR_APPLICATIONS#<status>`', operation: 'Query ↑ (oldest first)' },
  {
    pattern: 'approve an application',
    key: "claim: Update `status` PENDING → APPROVING (`status` and `submittedAt` condition); then the application's APPROVING → APPROVED, the user item's `roles` + `tutor` (`NOT contains(roles, tutor)`), the profile's upsert (as PUT /tutors/me) and the applicant's notification (`NOTIFIED#…` `attribute_not_exists`)",
    operation: 'UpdateItem, then TransactWriteItems',
  },
  { pattern: 'decline an application', key: "the application's PENDING → DECLINED with the applicant's notification", operation: 'TransactWriteItems' },
  {
    pattern: "tutor's booked time ranges (the slots listing: from `from` to `to + duration + 120 min`, the largest buffer; read alongside the profile's GetItem)",
    key: '`pk=TUTOR#<id>`, sk between `HOLD#<from>` and `HOLD#<to>`',
    operation: 'Query',
  },
  {
    pattern: 'no overlapping bookings, buffer kept',
    key: "Put `HOLD#<block>` for each 15-minute block of [start, end + the tutor's `bufferMinutes`) with `attribute_not_exists(pk)` in the booking's TransactWriteItems; Delete with `sessionId = :id` on reject, expiry, cancel",
    operation: 'TransactWriteItems',
  },
  {
    pattern: 'move a session (reschedule)',
    key: "the session's Put (`version` and `status` condition), Put `HOLD#<block>` (`attribute_not_exists`) for blocks only in the new range, Delete (`attribute_not_exists(pk) OR sessionId = :id`: never another booking's) for blocks only in the old one; blocks in both untouched",
    operation: 'TransactWriteItems',
  },
  {
    pattern: 'reschedule: the session and the booking terms it keeps',
    key: "`pk=SESSION#<id>`, `begins_with(sk, SESSION)` (`SESSION` and `SESSION#TERMS`); in the move's transaction a ConditionCheck of `pk=TUTOR#<id>, sk=PROFILE` on the terms' `profileVersion` (failed: the profile is read, and the terms written again with the move)",
    operation: 'Query, then TransactWriteItems',
  },
  {
    pattern: 'at most 5 open requests',
    key: '`pk=USER#<id>, sk=OPEN_REQUESTS`: `openRequests < 5` condition, +1 on request, −1 when it leaves PENDING_MENTOR_REVIEW',
    operation: 'in the same transaction',
  },
  {
    pattern: "a user's open WebSocket connections (the notifier's fan-out)",
    key: '`pk=USER#<id>`, sk prefix `CONNECTION#`, consistent read; items past `expiresAt` ignored until TTL removes them',
    operation: 'Query',
  },
  { pattern: 'a connection by id ($disconnect)', key: '`pk=CONNECTION#<connectionId>, sk=CONNECTION`, then both items deleted', operation: 'GetItem + TransactWriteItems' },
  { pattern: 'connect / disconnect / gone (410)', key: 'Put or Delete both connection items together', operation: 'TransactWriteItems' },
  { pattern: 'session page: the session and its meeting', key: '`pk=SESSION#<id>`, sk between `MEETING` and `SESSION`', operation: 'Query' },
  {
    pattern: "claim a session's meeting creation",
    key: 'Update `pk=SESSION#<id>, sk=MEETING` with `attribute_not_exists(pk) OR (state = CREATING AND leaseUntil <= :now)`',
    operation: 'UpdateItem',
  },
  {
    pattern: 'record the created meeting on the session',
    key: "the session's Put (`version` condition), the meeting's Update (`owner = :me AND state = CREATING`) and the Put of `ZOOM#<meetingId>` (unconditional: the claim makes it once per meeting, and Zoom may reuse an expired meeting's number) together",
    operation: 'TransactWriteItems',
  },
  {
    pattern: "a Zoom webhook's session (`recording.completed` names only the meeting)",
    key: "`pk=ZOOM#<meetingId>, sk=SESSION_OF`, then the session's GetItem (its `meetingId` must still be that meeting)",
    operation: 'GetItem',
  },
  {
    pattern: "store a meeting instance's recordings once (Zoom redelivers)",
    key: 'Put `pk=SESSION#<id>, sk=CLOUD_RECORDINGS#<event>#<uuid>` with `attribute_not_exists(pk)`; then Update `notifiedAt` with `attribute_not_exists(notifiedAt)`',
    operation: 'PutItem, UpdateItem',
  },
  { pattern: "a session's recordings (GET /sessions/{id}/recordings)", key: '`pk=SESSION#<id>`, sk prefix `CLOUD_RECORDINGS#`, consistent read', operation: 'Query' },
  {
    pattern: 'no Zoom host has two meetings at once',
    key: "the session's Put (sets `meetingHost`) and Put `ZOOM_HOST#<host>`/`HOLD#<block>` for each 15-minute block of [start, end) with `attribute_not_exists(pk)`, in one TransactWriteItems, tried per pool host in the configured order; moved with the session's blocks on reschedule, deleted (`sessionId = :id`) in the cancelling transaction and by MeetingFallback",
    operation: 'TransactWriteItems',
  },
  { pattern: "a tutor's own Zoom user", key: '`pk=USER#<id>, sk=ZOOM_USER`', operation: 'GetItem, Put, Delete' },
];

const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

const code = (v: string | undefined) => (v === undefined ? '' : `\`${v}\``);
const pair = (pk: string | undefined, sk: string | undefined) => (pk === undefined ? '' : `${code(pk)} / ${code(sk)}`);

const itemRow = (about: string, k: Partial<Record<(typeof KEY_ATTRIBUTES)[number], string>>) => [
  about,
  code(k.pk),
  code(k.sk),
  pair(k.gsi1pk, k.gsi1sk),
  pair(k.gsi2pk, k.gsi2sk),
  pair(k.gsi3pk, k.gsi3sk),
];

export const renderAccessPatterns = (): string => {
  const [gsi1, gsi2, gsi3] = TABLE.indexes;
  return `# Data: one table, its items and access patterns

<!-- Written by \`npm run docs:access-patterns\` from shared/data/entities.ts and shared/data/access-patterns.ts: edit those. -->

One DynamoDB table (\`shared/data/table.ts\`, used by CDK, the local stack and the tests),
generic keys \`pk\`/\`sk\` and three overloaded GSIs, TTL on \`expiresAt\`. Each kind of item is
declared once, beside the module that writes it (its keys, built in \`shared/data/keys.ts\`, and
the schema an item read back must match); only modules under \`shared/data/\` talk to DynamoDB.
No Scan anywhere.

Index names and projections (the tables below say gsi1, gsi2, gsi3 by their key attributes):
${gsi1.name} (keys \`gsi1pk\`/\`gsi1sk\`) and ${gsi2.name} (\`gsi2pk\`/\`gsi2sk\`) project only the
fields a session list shows (\`SESSION_FIELDS\`, the API's session), and on gsi2 a withdrawal's listed
fields: a session write that changes none of them (a workflow task token stored, the version) writes
the table alone, and an item read from them is parsed with its entity's listed schema. ${gsi3.name}
(\`gsi3pk\`/\`gsi3sk\`) projects all attributes: five kinds of item share it, more fields than an
INCLUDE projection may name.

## Items

${table(
  ['entity', 'pk', 'sk', 'gsi1pk / gsi1sk', 'gsi2pk / gsi2sk', 'gsi3pk / gsi3sk'],
  [...ENTITIES.map((e) => itemRow(e.about, e.sample())), ...LOCAL_ITEMS.map((i) => itemRow(i.about, i.keys))],
)}

Student buckets (\`shared/domain/views.ts\`): \`awaiting\` (PENDING_MENTOR_REVIEW, at the start
time), \`rejected\` (at rejectedAt), \`timeline\` (SCHEDULED / IN_PROGRESS at their **end** time;
COMPLETED / CANCELLED at the time they closed, never later than the end). Tutor views:
\`approvals\`, \`pending\`, \`active\`, \`completed\`, and \`closed\` for rejected/cancelled.

## Access patterns

${table(
  ['pattern', 'key / index', 'operation'],
  ACCESS_PATTERNS.map((p) => [p.pattern, p.key, p.operation]),
)}

## Pagination

Lists return \`{ items, nextCursor }\`. The cursor is DynamoDB's \`LastEvaluatedKey\`,
base64url-encoded. On the way back in (\`shared/data/cursor.ts\`) it must have exactly the key
attributes of the queried index, its partition must equal the caller's own, and its sort key
must lie inside the queried range; otherwise 400 \`VALIDATION_FAILED\`. A cursor is therefore
opaque to the client and useless for reading another user's partition.
`;
};
