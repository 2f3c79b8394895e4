/**
 * The local stack's process ends, whole, when it should: `npm start` (infra/local/start.ts)
 * that has run a paid journey (request → approval → checkout → meeting) and is sent SIGTERM
 * while another journey is in flight exits with its whole process tree (node and DynamoDB
 * Local's java) within seconds; and one whose DynamoDB Local dies says so and exits non-zero,
 * rather than staying up half alive. Stacks of their own (not the e2e tier's shared one): they
 * are the ones being killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { signToken } from '../../infra/local/emulators/oidc/jwt';
import { bootLocalStack, type OwnStack } from '../support/local-stack';
import { checkout, gridIn, putTutor, sessionWhen } from '../support/e2e';

const TUTOR = `tutor-shutdown-${Date.now().toString(36)}`;
const STUDENT = `student-shutdown-${Date.now().toString(36)}`;
/** What a shut-down may take, DynamoDB Local's own stop included. */
const STOP_WITHIN_MS = 15_000;

/** Every process whose ancestry leads to `root` (Linux /proc), `root` included. */
const processTree = (root: number): number[] => {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const tree = [root];
  // The list grows while it is walked: every child found is visited in turn.
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- for-of over a growing array is what this means, but reads as a bug
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  return tree;
};

const alive = (pid: number): boolean => {
  try {
    // A zombie has exited; it only waits for its parent to read its status.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const commandOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120);
  } catch {
    return '?';
  }
};

/** The processes of `tree` still alive after up to `ms` (polled, since there is no event for a foreign process ending). */
const leftAfter = async (tree: number[], ms: number): Promise<string[]> => {
  const deadline = Date.now() + ms;
  while (tree.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return tree.filter(alive).map((pid) => `${pid} ${commandOf(pid)}`);
};

let stack: OwnStack;
/** Killed after the test whatever it found, so a failing run leaves nothing spinning. */
let tree: number[] = [];

beforeAll(async () => {
  stack = await bootLocalStack();
  await putTutor(stack, TUTOR, {
    displayName: 'Shutdown Tutor',
    hourlyRate: { amount: 200_000, currency: 'NGN' },
    durations: [30, 60],
    bookingModes: ['INSTANT', 'REQUEST'],
    availability: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({ day, start: '00:00', end: '24:00' })),
  });
}, 120_000);

afterAll(async () => {
  for (const pid of tree.filter(alive)) process.kill(pid, 'SIGKILL');
  await stack?.stop();
});

/** As the student (with the email address payment needs) or the tutor. */
const as = async (userId: string, groups: string[]) => ({
  headers: { authorization: `Bearer ${await signToken({ sub: userId, groups, name: userId, email: `${userId}@example.com` }, { dataDir: stack.dataDir, issuer: stack.issuer })}` },
});

/** A REQUEST booking: approved by the tutor, then paid through the emulator's checkout; returns the checkout's answer. */
const requestApproveAndPay = async (scheduledAt: string) => {
  const created = await stack.api('POST', '/sessions', {
    ...(await as(STUDENT, ['student'])),
    body: { tutorId: TUTOR, scheduledAt, durationMinutes: 30, title: 'Shutdown', bookingMode: 'REQUEST' },
  });
  if (created.status !== 201) throw new Error(`POST /sessions: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.session.id as string;
  const approved = await stack.api('POST', `/sessions/${id}/approve`, await as(TUTOR, ['tutor']));
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  const pay = await stack.api('POST', `/sessions/${id}/payment`, await as(STUDENT, ['student']));
  if (pay.status !== 200) throw new Error(`payment: ${pay.status} ${JSON.stringify(pay.body)}`);
  await checkout(pay.body.authorizationUrl);
  return id;
};

describe('SIGTERM to the local stack during a journey', () => {
  it('ends the whole process tree (node, java) within seconds, with exit code 0', async () => {
    const asStudent = await as(STUDENT, ['student']);
    const view = async (id: string) => (await stack.api('GET', `/sessions/${id}`, asStudent)).body;
    // One journey to its end: paid, with its Zoom meeting.
    const first = await requestApproveAndPay(gridIn(24 * 60));
    await sessionWhen(stack, first, STUDENT, (s) => s.paymentStatus === 'PAID' && Boolean(s.meetingUrl));
    expect((await view(first)).status).toBe('SCHEDULED');

    // A second one in flight: its charge.success webhook, confirmation and meeting are still to run.
    await requestApproveAndPay(gridIn(25 * 60));
    const child = stack.pid;
    tree = processTree(child);
    expect(tree.map(commandOf).join('\n')).toMatch(/java/);

    process.kill(child, 'SIGTERM');
    expect(await leftAfter(tree, STOP_WITHIN_MS)).toEqual([]);
    expect(await stack.exitCode()).toBe(0);
  }, 120_000);
});

describe('DynamoDB Local dying under the local stack', () => {
  let dying: OwnStack;
  beforeAll(async () => {
    dying = await bootLocalStack();
  }, 120_000);
  afterAll(async () => {
    for (const pid of tree.filter(alive)) process.kill(pid, 'SIGKILL');
    await dying?.stop();
  });

  it('is reported loudly, and the stack exits non-zero with nothing left behind', async () => {
    tree = processTree(dying.pid);
    const java = tree.find((pid) => commandOf(pid).startsWith('java'));
    expect(java).toBeDefined();
    process.kill(java!, 'SIGKILL');
    expect(await leftAfter(tree, STOP_WITHIN_MS)).toEqual([]);
    expect(await dying.exitCode()).toBe(1);
    expect(dying.output()).toMatch(/DynamoDB Local exited while the stack was running/);
  }, 60_000);
});
