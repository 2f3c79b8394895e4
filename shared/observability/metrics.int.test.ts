/**
 * Business metrics as the real handlers emit them (EMF blobs, one per invocation that counted
 * something), on DynamoDB Local and the Paystack emulator, metrics turned on for this file.
 */
// First: Powertools Metrics reads whether it is disabled when first imported.
import '../../test/support/metrics-on';
import { handler as approveSession } from '../../functions/http/approveSession';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as getSession } from '../../functions/http/getSession';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { handler as expireRequest } from '../../functions/workflow/expireRequest';
import { handler as meetingFallback } from '../../functions/workflow/meetingFallback';
import { givenTutor } from '../../test/support/fixtures';
import { call, caller } from '../../test/support/http';
import { captureLogs, emfBlobs, metricValues } from '../../test/support/logs';
import { signedWebhook, usePaystackEmulator } from '../../test/support/paystack';
import { givenSession } from '../../test/support/sessions';
import { useTestTable } from '../../test/support/table';
import { useTimeline } from '../../test/support/timeline';

useTestTable();
// meetingFallback confirms the booking, which schedules its timeline: on the local scheduler.
useTimeline();
const paystack = usePaystackEmulator();

let n = 0;
const parties = async () => {
  n += 1;
  const tutorId = `metrics-tutor-${n}`;
  await givenTutor(tutorId);
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`metrics-student-${n}`, 'student') };
};
const inDays = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(10, 0, 0, 0);
  return d.toISOString();
};
const pendingRequest = { bookingMode: 'REQUEST', status: 'PENDING_MENTOR_REVIEW', paymentStatus: 'PENDING', approvalDeadline: inDays(1) } as const;

const book = (student: ReturnType<typeof caller>, tutorId: string, bookingMode: 'REQUEST' | 'INSTANT', days: number) =>
  call(createSession, 'POST /sessions', { as: student, body: { tutorId, scheduledAt: inDays(days), durationMinutes: 60, title: 'Metrics', bookingMode } });

/** Setup that counts too (a booking): its EMF blob kept off the test output. */
const quietly = async <T>(run: () => Promise<T>): Promise<T> => {
  let out: T | undefined;
  await captureLogs(async () => {
    out = await run();
  });
  return out as T;
};

const deliver = (event: unknown) => {
  const { body, signature } = signedWebhook(event);
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};
const chargeSuccess = (t: { reference: string; amount: number; currency: string }) => ({
  event: 'charge.success',
  data: { id: 1, reference: t.reference, amount: t.amount, currency: t.currency, status: 'success', metadata: {} },
});

describe('Business metrics', () => {
  it('an approval emits one EMF blob: Approvals = 1 in the namespace, dimension service', async () => {
    const { tutor, tutorId, student } = await parties();
    const s = await givenSession(student.sub, tutorId, pendingRequest);
    const lines = await captureLogs(async () => {
      expect((await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: s.id } })).status).toBe(200);
    });
    const blobs = emfBlobs(lines);
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatchObject({
      service: 'mentorship-booking',
      Approvals: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'MentorshipBooking', Dimensions: [['service']], Metrics: [{ Name: 'Approvals', Unit: 'Count' }] }] },
    });
  });

  it('an invocation that counts nothing emits nothing, not even a warning', async () => {
    const { tutor, tutorId, student } = await parties();
    const s = await givenSession(student.sub, tutorId);
    const lines = await captureLogs(async () => {
      expect((await call(getSession, 'GET /sessions/{sessionId}', { as: tutor, pathParameters: { sessionId: s.id } })).status).toBe(200);
    });
    expect(lines).toEqual([]);
  });

  it('a booking is counted with its mode as a dimension of its own', async () => {
    const { tutorId, student } = await parties();
    const lines = await captureLogs(async () => {
      expect((await book(student, tutorId, 'REQUEST', 4)).status).toBe(201);
      expect((await book(student, tutorId, 'INSTANT', 5)).status).toBe(201);
    });
    const bookings = emfBlobs(lines).filter((b) => 'BookingsCreated' in b);
    expect(bookings.map((b) => [b.mode, b.BookingsCreated])).toEqual([
      ['REQUEST', 1],
      ['INSTANT', 1],
    ]);
    for (const b of bookings) expect(b._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'mode']]);
  });

  it('counts PaymentsConfirmed once: a duplicate delivery emits none', async () => {
    const { tutorId, student } = await parties();
    const { payment } = (await quietly(() => book(student, tutorId, 'INSTANT', 6))).body;
    const t = paystack.emulator.settle(payment.reference, 'success');
    const first = await captureLogs(async () => expect((await deliver(chargeSuccess(t))).body.outcome).toBe('credited'));
    const again = await captureLogs(async () => expect((await deliver(chargeSuccess(t))).body.outcome).toBe('duplicate'));
    expect(metricValues(first, 'PaymentsConfirmed')).toEqual([1]);
    expect(emfBlobs(again)).toEqual([]);
  });

  it('counts a payment amount mismatch once, however often it is delivered', async () => {
    const { tutorId, student } = await parties();
    const { payment } = (await quietly(() => book(student, tutorId, 'INSTANT', 7))).body;
    const t = paystack.emulator.settle(payment.reference, 'success');
    t.amount -= 1;
    const lines = await captureLogs(async () => {
      expect((await deliver(chargeSuccess(t))).body.outcome).toBe('rejected');
      expect((await deliver(chargeSuccess(t))).body.outcome).toBe('duplicate');
    });
    expect(metricValues(lines, 'PaymentAmountMismatches')).toEqual([1]);
    expect(metricValues(lines, 'PaymentsConfirmed')).toEqual([]);
  });

  it('counts an expiry once (not on a re-run of the step), and a Zoom fallback', async () => {
    const { tutorId, student } = await parties();
    const pending = await givenSession(student.sub, tutorId, pendingRequest);
    const paid = await givenSession(student.sub, tutorId, {}, 8);
    const step = (h: unknown, sessionId: string) => (h as (e: unknown) => Promise<unknown>)({ sessionId });
    const lines = await captureLogs(async () => {
      await step(expireRequest, pending.id);
      await step(expireRequest, pending.id);
      await step(meetingFallback, paid.id);
    });
    expect(metricValues(lines, 'Expiries')).toEqual([1]);
    expect(metricValues(lines, 'ZoomFallbacks')).toEqual([1]);
  });
});
