/**
 * End to end over the local stack, like a student in a browser: pay through the Paystack
 * emulator's checkout (POST <authorizationUrl> with outcome=success), the emulator delivers
 * a signed charge.success to /webhooks/paystack, and the tutor is credited floor(70 %) once,
 * however often the webhook arrives. A paid session's timeline runs by firing its schedules
 * (the local scheduler's fire endpoint): reminded, IN_PROGRESS, COMPLETED.
 */
import { createHmac } from 'node:crypto';
import { checkout, runTimelineUntil, useE2eUsers } from '../support/e2e';
import { slotIn, until, useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'payments');

const sessionOf = async (id: string, as = u.bola) => (await stack.api('GET', `/sessions/${id}`, { as })).body;
const walletOf = async (tutor: string) => (await stack.api('GET', '/me/wallet', { as: tutor })).body;

/** A webhook as Paystack would sign it with the local secret key. */
const signed = (event: unknown) => {
  const body = JSON.stringify(event);
  return { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': createHmac('sha512', 'sk_test_local').update(body).digest('hex') } };
};

describe('Paying for an INSTANT booking through the checkout', () => {
  it('becomes PAID, credits the tutor floor(70 %) once however often the webhook arrives', async () => {
    const before = await walletOf(u.ada);
    const created = await stack.api('POST', '/sessions', {
      as: u.bola,
      body: { tutorId: u.ada, scheduledAt: slotIn(30, 9), durationMinutes: 90, title: 'Instant', bookingMode: 'INSTANT' },
    });
    expect(created.status).toBe(201);
    const { session, payment } = created.body;
    expect(session).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING' });

    const page = await fetch(payment.authorizationUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('outcome');
    const paid = await checkout(payment.authorizationUrl, 'success');
    expect([200, 302, 303]).toContain(paid.status);

    const after = await until(async () => ((await sessionOf(session.id)).paymentStatus === 'PAID' ? sessionOf(session.id) : undefined));
    expect(after.status).toBe('SCHEDULED');
    // The meeting step runs after the payment: a Zoom join URL for both, the host link for the tutor only.
    const withMeeting = await until(async () => ((await sessionOf(session.id)).meetingUrl ? sessionOf(session.id) : undefined));
    expect(withMeeting.meetingUrl).toMatch(/^https:\/\//);
    expect(JSON.stringify(withMeeting)).not.toMatch(/start_url|zak=|hostsMeeting/);
    expect((await sessionOf(session.id, u.ada)).hostsMeeting).toBe(true);
    const share = Math.floor((session.price.amount * 70) / 100);
    const credited = await walletOf(u.ada);
    expect(credited.balance.amount - before.balance.amount).toBe(share);

    // Paystack redelivers; somebody replays: still one credit.
    const event = {
      event: 'charge.success',
      data: { id: 1, reference: payment.reference, amount: session.price.amount, currency: 'NGN', status: 'success', metadata: { sessionId: session.id } },
    };
    const replays = await Promise.all(Array.from({ length: 5 }, () => stack.api('POST', '/webhooks/paystack', signed(event))));
    expect(replays.every((r) => r.status === 200)).toBe(true);
    expect((await walletOf(u.ada)).balance.amount - before.balance.amount).toBe(share);
    const inbox = await until(async () => {
      const res = await stack.api('GET', '/me/notifications', { as: u.bola });
      return res.body.items.some((n: { event: string; sessionId: string }) => n.event === 'BOOKING_CONFIRMED' && n.sessionId === session.id) ? res.body : undefined;
    });
    expect(inbox.items.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('Paying for an approved REQUEST', () => {
  it('goes approve → Proceed to Payment → checkout → PAID and credited', async () => {
    const before = await walletOf(u.tunde);
    const created = await stack.api('POST', '/sessions', {
      as: u.chidi,
      body: { tutorId: u.tunde, scheduledAt: slotIn(31, 9), durationMinutes: 60, title: 'Request', bookingMode: 'REQUEST' },
    });
    const id = created.body.session.id;
    expect(created.body.payment).toBeUndefined();
    expect((await stack.api('POST', `/sessions/${id}/approve`, { as: u.tunde })).status).toBe(200);
    const pay = await stack.api('POST', `/sessions/${id}/payment`, { as: u.chidi });
    expect(pay.status).toBe(200);
    expect((await stack.api('POST', `/sessions/${id}/payment`, { as: u.chidi })).body).toEqual(pay.body);
    await checkout(pay.body.authorizationUrl, 'success');
    const s = await until(async () => ((await sessionOf(id, u.chidi)).paymentStatus === 'PAID' ? sessionOf(id, u.chidi) : undefined));
    expect((await walletOf(u.tunde)).balance.amount - before.balance.amount).toBe(Math.floor((s.price.amount * 70) / 100));
  }, 60_000);
});

describe('Webhooks that must change nothing', () => {
  it('refuses forged and unsigned webhooks, and does not trust a signed one for an unpaid booking', async () => {
    const before = await walletOf(u.ada);
    const created = await stack.api('POST', '/sessions', {
      as: u.chidi,
      body: { tutorId: u.ada, scheduledAt: slotIn(32, 9), durationMinutes: 60, title: 'Unpaid', bookingMode: 'INSTANT' },
    });
    const { session, payment } = created.body;
    const event = { event: 'charge.success', data: { id: 2, reference: payment.reference, amount: session.price.amount, currency: 'NGN', status: 'success' } };
    const unsigned = await stack.api('POST', '/webhooks/paystack', { rawBody: JSON.stringify(event), headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    const forged = await stack.api('POST', '/webhooks/paystack', {
      rawBody: JSON.stringify(event),
      headers: { 'content-type': 'application/json', 'x-paystack-signature': createHmac('sha512', 'sk_test_guess').update(JSON.stringify(event)).digest('hex') },
    });
    expect(forged.status).toBe(401);
    const unsettled = await stack.api('POST', '/webhooks/paystack', signed(event));
    expect(unsettled.status).toBe(200);
    expect((await sessionOf(session.id, u.chidi)).paymentStatus).toBe('PENDING');
    expect((await walletOf(u.ada)).balance.amount).toBe(before.balance.amount);
    const garbage = await stack.api('POST', '/webhooks/paystack', signed('{"event":'));
    expect(garbage.status).toBeLessThan(500);
  });
});

describe('A paid session', () => {
  it('is reminded, goes IN_PROGRESS at its start and COMPLETED at its end, as its schedules fire', async () => {
    // The earliest bookable slot (15-minute notice).
    const start = new Date(Math.ceil((Date.now() + 16 * 60_000) / 900_000) * 900_000).toISOString();
    const created = await stack.api('POST', '/sessions', {
      as: u.bola,
      body: { tutorId: u.tunde, scheduledAt: start, durationMinutes: 30, title: 'Soon', bookingMode: 'INSTANT' },
    });
    expect(created.status).toBe(201);
    const { session, payment } = created.body;
    await checkout(payment.authorizationUrl, 'success');
    const statuses: string[] = [];
    await runTimelineUntil(stack, session.id, u.bola, (s) => {
      if (s.paymentStatus === 'PAID' && statuses.at(-1) !== s.status) statuses.push(s.status);
      return s.status === 'COMPLETED';
    });
    expect(statuses).toEqual(['SCHEDULED', 'IN_PROGRESS', 'COMPLETED']);
    const events = (await stack.api('GET', '/me/notifications?limit=50', { as: u.bola })).body.items
      .filter((n: { sessionId: string }) => n.sessionId === session.id)
      .map((n: { event: string }) => n.event);
    expect(events).toEqual(expect.arrayContaining(['BOOKING_CONFIRMED', 'SESSION_REMINDER']));
    expect((await stack.api('GET', '/tutor/sessions?view=completed', { as: u.tunde })).body.items.map((s: { id: string }) => s.id)).toContain(session.id);
  }, 60_000);
});
