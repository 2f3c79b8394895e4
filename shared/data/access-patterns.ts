/**
 * docs/access-patterns.md, written from the declarations: the items table from every entity
 * of ./entities.ts (its keys built by the same builders the code writes with), the access
 * patterns from each entity's `accessPatterns`. `npm run docs:access-patterns` writes it; a
 * test fails when the committed file differs.
 */
import { ENTITIES } from './entities';
import { KEY_ATTRIBUTES, type AccessPattern } from './entity';
import { TABLE } from './table';

export const ACCESS_PATTERNS_FILE = 'docs/access-patterns.md';

/** Items the table holds that no runtime module writes (the local stack's own). */
const LOCAL_ITEMS = [
  {
    type: 'LocalExecution',
    about: 'LocalExecution (local stack only: the local Step Functions’ executions, infra/local/workflow/store.ts)',
    keys: { pk: 'LOCAL_EXECUTION#<name>', sk: 'EXECUTION', gsi3pk: 'LOCAL_EXECUTIONS', gsi3sk: '<startDate>#<name>' },
    accessPatterns: [{ pattern: 'local workflow executions (local stack)', key: 'gsi3 `LOCAL_EXECUTIONS`', operation: 'Query ↓' }],
  },
];

/** Every access pattern, by the type of the item it is declared with, in the registry's order. */
export const ACCESS_PATTERNS: readonly (AccessPattern & { type: string })[] = [
  ...ENTITIES.flatMap((e) => (e.accessPatterns?.() ?? []).map((p) => ({ type: e.type, ...p }))),
  ...LOCAL_ITEMS.flatMap((i) => i.accessPatterns.map((p) => ({ type: i.type, ...p }))),
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

<!-- Written by \`npm run docs:access-patterns\` from the entity declarations (shared/data/entities.ts lists them): edit those. -->

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
  ['entity', 'pattern', 'key / index', 'operation'],
  ACCESS_PATTERNS.map((p) => [p.type, p.pattern, p.key, p.operation]),
)}

## Pagination

Lists return \`{ items, nextCursor }\`. The cursor is DynamoDB's \`LastEvaluatedKey\`,
base64url-encoded. On the way back in (\`shared/data/cursor.ts\`) it must have exactly the key
attributes of the queried index, its partition must equal the caller's own, and its sort key
must lie inside the queried range; otherwise 400 \`VALIDATION_FAILED\`. A cursor is therefore
opaque to the client and useless for reading another user's partition.
`;
};
