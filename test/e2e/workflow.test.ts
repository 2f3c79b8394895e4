/**
 * End to end with time compressed 43,200 times (the 72-hour approval deadline lasts 6 s):
 * an unanswered request is rejected by the workflow, the student is told, the tutor's late
 * approval is refused, and the slot can be booked again; `npm run executions` shows it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { slotIn, until, useLocalStack } from '../support/local-stack';

const stack = useLocalStack({ LOCAL_TIME_SCALE: '43200' });


describe('Given LOCAL_TIME_SCALE=43200', () => {
  it('rejects an unanswered request at its deadline, tells the student, refuses a late approval and frees the slot', async () => {
    const at = slotIn(10, 8); // 10 days ahead: the deadline is 72 h after the request → 6 s here
    const created = await stack.api('POST', '/sessions', {
      as: 'student-bola',
      body: { tutorId: 'tutor-tunde', scheduledAt: at, durationMinutes: 60, title: 'Career chat', bookingMode: 'REQUEST' },
    });
    expect(created.status).toBe(201);
    const id = created.body.session.id;
    const started = Date.now();

    const rejected = await until(async () => {
      const s = await stack.api('GET', `/sessions/${id}`, { as: 'student-bola' });
      return s.body.status === 'REJECTED' ? s.body : undefined;
    }, 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(rejected.approvalNotes).toMatch(/^Expired/);
    expect(rejected.rejectedAt).toEqual(expect.any(String));

    const inbox = await until(async () => {
      const res = await stack.api('GET', '/me/notifications', { as: 'student-bola' });
      return res.body.items.some((n: { event: string; sessionId: string }) => n.event === 'REQUEST_EXPIRED' && n.sessionId === id) ? res.body : undefined;
    }, 10_000);
    expect(inbox.unreadCount).toBeGreaterThan(0);
    const tutorInbox = await stack.api('GET', '/me/notifications', { as: 'tutor-tunde' });
    expect(tutorInbox.body.items.map((n: { event: string }) => n.event)).toEqual(expect.arrayContaining(['REQUEST_RECEIVED', 'REQUEST_EXPIRED']));

    const late = await stack.api('POST', `/sessions/${id}/approve`, { as: 'tutor-tunde' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_STATE');

    const again = await stack.api('POST', '/sessions', {
      as: 'student-chidi',
      body: { tutorId: 'tutor-tunde', scheduledAt: at, durationMinutes: 60, title: 'Same slot', bookingMode: 'REQUEST' },
    });
    expect(again.status).toBe(201);
  }, 60_000);

  it('lists executions and their state with npm run executions', async () => {
    const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['infra/local/executions-cli.ts', '--all'], {
      env: { ...process.env, AWS_ENDPOINT_URL_SFN: stack.sfnUrl },
    });
    expect(stdout).toMatch(/SUCCEEDED|RUNNING/);
  });
});
