/**
 * End to end: an unanswered request is rejected when its 72-hour deadline comes (the test fires
 * its EXPIRE schedule rather than wait for it), the student is told, the execution ends, the
 * tutor's late approval is refused, and the slot can be booked again; `npm run executions` shows it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { slotIn, until, useLocalStack } from '../support/local-stack';
import { executionOf, runApprovalWaitUntil, useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'workflow');

describe('Given a request nobody answers', () => {
  it('rejects an unanswered request at its deadline, tells the student, refuses a late approval and frees the slot', async () => {
    const at = slotIn(10, 8); // 10 days ahead: the deadline is 72 h after the request
    const created = await stack.api('POST', '/sessions', {
      as: u.bola,
      body: { tutorId: u.tunde, scheduledAt: at, durationMinutes: 60, title: 'Career chat', bookingMode: 'REQUEST' },
    });
    expect(created.status).toBe(201);
    const id = created.body.session.id;
    // Ten days ahead, the tutor is reminded 24 h and 2 h before the deadline by schedules; the deadline is a schedule too.
    const rejected = await runApprovalWaitUntil(stack, id, u.bola, (s) => s.status === 'REJECTED');
    expect(rejected.approvalNotes).toMatch(/^Expired/);
    expect(rejected.rejectedAt).toEqual(expect.any(String));
    // The expiry ended the execution's decision wait (through the table stream).
    expect(await until(async () => ((await executionOf(stack, id))?.status === 'SUCCEEDED' ? executionOf(stack, id) : undefined), 10_000)).toMatchObject({ state: 'Closed' });

    const inbox = await until(async () => {
      const res = await stack.api('GET', '/me/notifications', { as: u.bola });
      return res.body.items.some((n: { event: string; sessionId: string }) => n.event === 'REQUEST_EXPIRED' && n.sessionId === id) ? res.body : undefined;
    }, 10_000);
    expect(inbox.unreadCount).toBeGreaterThan(0);
    const tutorInbox = await stack.api('GET', '/me/notifications', { as: u.tunde });
    expect(tutorInbox.body.items.map((n: { event: string }) => n.event)).toEqual(expect.arrayContaining(['REQUEST_RECEIVED', 'REQUEST_EXPIRED']));

    const late = await stack.api('POST', `/sessions/${id}/approve`, { as: u.tunde });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_STATE');

    const again = await stack.api('POST', '/sessions', {
      as: u.chidi,
      body: { tutorId: u.tunde, scheduledAt: at, durationMinutes: 60, title: 'Same slot', bookingMode: 'REQUEST' },
    });
    expect(again.status).toBe(201);
  }, 60_000);

  it('lists executions and their state with npm run executions', async () => {
    const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['scripts/executions.ts', '--all'], {
      env: { ...process.env, AWS_ENDPOINT_URL_SFN: stack.sfnUrl },
    });
    expect(stdout).toMatch(/SUCCEEDED|RUNNING/);
  });
});
