/**
 * The Paystack webhook against Paystack's own published samples: whatever shape `metadata`
 * takes (an object, a JSON string, 0, "" or null), the charge is found by its reference,
 * verified and credited; refund samples parse with their string amounts.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { getPayment } from '../../shared/data/payments';
import { getSession } from '../../shared/data/sessions';
import { paystackWebhookEvent } from '../../shared/schemas/paystack';
import { call, caller } from '../support/http';
import { givenTutor, slot } from '../support/fixtures';
import { useTestTable } from '../support/table';
import { signedWebhook, usePaystackEmulator } from '../support/paystack';
import { CHARGE_SUCCESS_SAMPLE, REFUND_EVENT_SAMPLES, withReference } from '../support/paystack-samples';

useTestTable();
const paystack = usePaystackEmulator();

let n = 0;
/** An INSTANT booking of its own, paid at the emulator's checkout; no webhook is delivered. */
const paidBooking = async () => {
  n += 1;
  const tutorId = `sample-tutor-${n}`;
  await givenTutor(tutorId);
  const res = await call(createSession, 'POST /sessions', {
    as: caller(`sample-student-${n}`, 'student'),
    body: { tutorId, scheduledAt: slot(3), durationMinutes: 60, title: 'Sample', bookingMode: 'INSTANT' },
  });
  expect(res.status).toBe(201);
  const { session, payment } = res.body as { session: { id: string }; payment: { reference: string } };
  const t = paystack.emulator.settle(payment.reference, 'success');
  return { sessionId: session.id, reference: payment.reference, amount: t.amount, currency: t.currency };
};

const deliver = (event: unknown) => {
  const { body, signature } = signedWebhook(event);
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};

describe("Paystack's charge.success sample", () => {
  it('parses as it is published, metadata 0 included', () => {
    const parsed = paystackWebhookEvent.safeParse(CHARGE_SUCCESS_SAMPLE);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ event: 'charge.success', data: { reference: 'qTPrJoy9Bx', amount: 10000, metadata: 0 } });
  });

  it.each([
    ['0 (the published sample)', 0],
    ['an empty string', ''],
    ['null', null],
    ['a JSON string', 'JSON'],
    ['an object of other fields', { referrer: 'https://example.com/pay' }],
  ])('credits the charge its reference names when metadata is %s', async (_name, metadata) => {
    const b = await paidBooking();
    const event = withReference(CHARGE_SUCCESS_SAMPLE, b);
    event.data.metadata = metadata === 'JSON' ? JSON.stringify({ sessionId: b.sessionId }) : metadata;
    const res = await deliver(event);
    expect(res).toMatchObject({ status: 200, body: { outcome: 'credited' } });
    expect((await getPayment(b.reference))!.status).toBe('PAID');
    expect((await getSession(b.sessionId))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID' });
  });
});

describe("Paystack's refund samples", () => {
  it.each(Object.keys(REFUND_EVENT_SAMPLES) as (keyof typeof REFUND_EVENT_SAMPLES)[])('%s parses, its amount a number even when sent as a string', (name) => {
    const sample = REFUND_EVENT_SAMPLES[name];
    const parsed = paystackWebhookEvent.safeParse(sample);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({
      event: name,
      data: { status: sample.data.status, transaction_reference: sample.data.transaction_reference, amount: Number(sample.data.amount) },
    });
  });

  it('answers 200 to each refund sample naming a reference of ours, never a 4xx that Paystack would redeliver', async () => {
    const b = await paidBooking();
    for (const sample of Object.values(REFUND_EVENT_SAMPLES).filter((s) => s.event !== 'refund.processed')) {
      const res = await deliver(withReference(sample, b));
      expect({ event: sample.event, status: res.status }).toEqual({ event: sample.event, status: 200 });
    }
  });
});
