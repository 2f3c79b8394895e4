/**
 * Cancelling: the slot is released, the workflow ends, a paid booking is refunded per the
 * policy (full for tutor/admin, full for the student up to 24 h before), once; its Zoom
 * meeting is deleted, once, by the table stream (the route calls nothing but DynamoDB).
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as cancelHandler } from '../../functions/http/cancelSession';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { handler as getMyWallet } from '../../functions/http/getMyWallet';
import { getPayment } from '../../shared/data/payments';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { cancelSession, defaultCancelDeps } from '../../shared/usecases/cancel';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { signedWebhook, usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { until } from '../support/local-stack';
import { timelineTargets, useTimeline } from '../support/timeline';
import { recordDdbCalls } from '../support/ddb-calls';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../../shared/data/client';
import { paymentKey } from '../../shared/data/keys';
import { getMeetingRecord } from '../../shared/data/meetings';
import { syncSessionMeeting } from '../../shared/usecases/meetings';

const wf = useLocalWorkflow({ timeScale: 1 });
// The timeline's schedules, kept by the confirmation and the stream: on the local scheduler.
useTimeline({ targets: timelineTargets() });
const streams = useTableStreams();
useTestTable();
const paystack = usePaystackEmulator();
const zoom = useZoomEmulator();

let n = 0;
const parties = async () => {
  n += 1;
  const tutorId = `cx-tutor-${n}`;
  await givenTutor(tutorId);
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`cx-student-${n}`, 'student') };
};
const at = (hours: number) => new Date(Math.ceil((Date.now() + hours * 3_600_000) / 900_000) * 900_000).toISOString();

const book = async (student: TestCaller, tutorId: string, scheduledAt: string, bookingMode: 'INSTANT' | 'REQUEST') => {
  const res = await call(createSession, 'POST /sessions', { as: student, body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Cancel me', bookingMode } });
  expect(res.status).toBe(201);
  return res.body;
};

const deliver = (event: unknown) => {
  const { body, signature } = signedWebhook(event);
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};

const paid = async (student: TestCaller, tutorId: string, scheduledAt: string) => {
  const { session, payment } = await book(student, tutorId, scheduledAt, 'INSTANT');
  const t = paystack.emulator.settle(payment.reference, 'success');
  const res = await deliver({ event: 'charge.success', data: { id: 1, reference: t.reference, amount: t.amount, currency: t.currency, status: 'success' } });
  expect(res.body.outcome).toBe('credited');
  return { id: session.id as string, reference: payment.reference as string };
};

const cancel = (as: TestCaller, id: string, body: unknown = { reason: 'Something came up' }) =>
  call(cancelHandler, 'POST /sessions/{sessionId}/cancel', { as, pathParameters: { sessionId: id }, body });

describe('Cancelling an unpaid request', () => {
  it('releases the slot, ends the workflow and tells the tutor', async () => {
    const { tutorId, tutor, student } = await parties();
    const slot = at(72);
    const { session } = await book(student, tutorId, slot, 'REQUEST');
    await wf.service.runner.waitFor(wf.executionArn(session.id), (d) => d.waiting === 'CALLBACK', 10_000);
    const res = await cancel(student, session.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ session: { status: 'CANCELLED', cancellationReason: 'Something came up', cancelledBy: 'STUDENT' }, refund: null });
    const done = await wf.service.runner.waitFor(wf.executionArn(session.id), (d) => d.status !== 'RUNNING', 10_000);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed' });
    expect((await listNotifications(tutor.sub, undefined, 20)).items.map((x) => x.event)).toContain('SESSION_CANCELLED');
    // Never booked, never in a calendar: the student who cancelled is not told of it.
    expect((await listNotifications(student.sub, undefined, 20)).items.map((x) => x.event)).not.toContain('SESSION_CANCELLED');
    await book(caller(`other-${n}`, 'student'), tutorId, slot, 'REQUEST');
    expect((await cancel(student, session.id)).status).toBe(409);
  });

  it('needs a reason, and answers 404 to outsiders', async () => {
    const { tutorId, student } = await parties();
    const { session } = await book(student, tutorId, at(80), 'REQUEST');
    expect((await cancel(student, session.id, {})).status).toBe(400);
    expect((await cancel(student, session.id, { reason: '  ' })).status).toBe(400);
    expect((await cancel(caller('stranger', 'student'), session.id)).status).toBe(404);
    expect((await getSession(session.id))!.status).toBe('PENDING_MENTOR_REVIEW');
  });

  it('refuses once the session has started', async () => {
    const { tutorId, student } = await parties();
    const { session } = await book(student, tutorId, at(5), 'REQUEST');
    const late = () => new Date(Date.parse(session.scheduledAt) + 1);
    await expect(cancelSession({ userId: student.sub, roles: ['student'] }, session.id, 'late', { ...defaultCancelDeps, clock: late })).rejects.toMatchObject({ statusCode: 409 });
  });
});

describe('Cancelling a paid booking', () => {
  it('deletes its Zoom meeting through the table stream, once: the route calls no one but DynamoDB', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id } = await paid(student, tutorId, at(50));
    // The workflow makes the paid session's meeting.
    const meetingId = await until(async () => (await getSession(id))?.meetingId ?? undefined, 10_000);
    expect(zoom.emulator.meetings.has(meetingId)).toBe(true);

    const { result, calls, remote } = await recordDdbCalls(() => cancel(tutor, id, { reason: 'I am ill' }));
    expect(result.status).toBe(200);
    expect(remote).toEqual([]);
    // The session, then one transaction (the refund owed guessed from the session, checked by its condition).
    expect(calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);

    await streams.idle();
    expect(zoom.emulator.meetings.has(meetingId)).toBe(false);
    expect(await getMeetingRecord(id)).toMatchObject({ state: 'DELETED', meetingId });
    const deletes = () => zoom.emulator.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/meetings/${meetingId}`));
    expect(deletes()).toHaveLength(1);
    // A record delivered again deletes nothing more.
    await syncSessionMeeting(id);
    expect(deletes()).toHaveLength(1);
  });

  it('tells both: the one who cancelled gets it stored read (no unread badge, no push), for the email with the cancelled invite', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id } = await paid(student, tutorId, at(40));
    const unreadBefore = (await listNotifications(student.sub, undefined, 20)).unreadCount;
    expect((await cancel(student, id, { reason: 'Plans changed' })).status).toBe(200);
    const own = (await listNotifications(student.sub, undefined, 20)).items.find((x) => x.event === 'SESSION_CANCELLED');
    expect(own).toMatchObject({ sessionId: id, readAt: own!.createdAt });
    expect((await listNotifications(student.sub, undefined, 20)).unreadCount).toBe(unreadBefore);
    const others = (await listNotifications(tutor.sub, undefined, 20)).items.find((x) => x.event === 'SESSION_CANCELLED');
    expect(others).toMatchObject({ sessionId: id, readAt: null });
  });

  it('by the tutor: refunded in full, the credit reversed once the refund is processed', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference } = await paid(student, tutorId, at(6));
    const res = await cancel(tutor, id, { reason: 'I am ill' });
    expect(res.body.refund).toMatchObject({ amount: { amount: 500_000, currency: 'NGN' }, status: 'PENDING' });
    expect((await getPayment(reference))!.status).toBe('REFUND_PENDING');
    // The table stream's consumer asks Paystack for the refund the cancel recorded; Paystack processes it.
    const t = paystack.emulator.transactions.get(reference)!;
    const processed = await until(async () => t.events.find((e) => e.event === 'refund.processed'), 10_000);
    expect(t.refunds).toHaveLength(1);
    expect((await deliver(processed)).body.outcome).toBe('refunded');
    expect((await getSession(id))!).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED' });
    const wallet = (await call(getMyWallet, 'GET /me/wallet', { as: tutor })).body;
    expect(wallet.balance.amount).toBe(0);
    const events = (await listNotifications(student.sub, undefined, 20)).items.map((x) => x.event);
    expect(events).toEqual(expect.arrayContaining(['SESSION_CANCELLED', 'REFUND_ISSUED']));
  });

  it('after part was refunded from Paystack’s dashboard: owes what is left, reading the payment once its guess failed', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference } = await paid(student, tutorId, at(20));
    // A dashboard refund of 100,000 settled: the payment stays PAID, with what was refunded.
    await ddb.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME!,
        Key: paymentKey(reference),
        UpdateExpression: 'SET refundedAmount = :n',
        ExpressionAttributeValues: { ':n': 100_000 },
      }),
    );
    const { result, calls } = await recordDdbCalls(() => cancel(tutor, id, { reason: 'I am ill' }));
    expect(result.status).toBe(200);
    expect(result.body.refund).toMatchObject({ amount: { amount: 400_000, currency: 'NGN' }, status: 'PENDING' });
    expect(calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand', 'GetItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    expect(await getPayment(reference)).toMatchObject({ status: 'REFUND_PENDING', refundedAmount: 100_000 });
  });

  it('by the student more than 24 hours ahead: refunded in full', async () => {
    const { tutorId, student } = await parties();
    const { id, reference } = await paid(student, tutorId, at(30));
    const res = await cancel(student, id);
    expect(res.body.refund).not.toBeNull();
    expect((await getPayment(reference))!.status).toBe('REFUND_PENDING');
  });

  it('by the student within 24 hours: no refund, and the tutor keeps their share', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference } = await paid(student, tutorId, at(6));
    const res = await cancel(student, id);
    expect(res.body.refund).toBeNull();
    expect((await getPayment(reference))!.status).toBe('PAID');
    expect((await getSession(id))!).toMatchObject({ status: 'CANCELLED', paymentStatus: 'PAID' });
    expect(paystack.emulator.transactions.get(reference)!.refunds).toHaveLength(0);
    expect((await call(getMyWallet, 'GET /me/wallet', { as: tutor })).body.balance.amount).toBe(350_000);
    const done = await wf.service.runner.waitFor(wf.executionArn(id), (d) => d.status !== 'RUNNING', 10_000);
    expect(done.status).toBe('ABORTED');
  });
});
