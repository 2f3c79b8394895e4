/**
 * Rescheduling on the local stack (policy in shared/domain/reschedule.ts), over HTTP and the
 * WebSocket API: a paid session moves (the old time free for others, the new one held, the
 * Zoom meeting moved, the other party told); moves the policy refuses change nothing; and
 * the race of a reschedule into a time another student took a moment earlier, and
 * a reschedule and a booking of the same time fired at once, round after round.
 */
import { useLocalStack, slotIn, until } from '../support/local-stack';
import type { TestSocket } from '../support/ws';
import { book, bookAndPay, gridIn, connectAs, pushed, putTutor, sessionOf, zoomOf, useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'reschedule');
const sockets: TestSocket[] = [];

/** A tutor who works 08:00–18:00 UTC every day: 20:00 is outside their hours. */
const DAYTIME_TUTOR = 'tutor-daytime';

beforeAll(async () => {
  await putTutor(stack, DAYTIME_TUTOR, {
    displayName: 'Daytime Tutor',
    hourlyRate: { amount: 400_000, currency: 'NGN' },
    durations: [60],
    bookingModes: ['INSTANT', 'REQUEST'],
    timezone: 'UTC',
    availability: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({ day, start: '08:00', end: '18:00' })),
    minimumNoticeMinutes: 60,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
});

const reschedule = (id: string, as: string, scheduledAt: string) => stack.api('POST', `/sessions/${id}/reschedule`, { as, body: { scheduledAt } });

/** Whether someone else could book `scheduledAt` with the tutor now: tried with a REQUEST, cancelled again at once. */
const bookable = async (tutorId: string, scheduledAt: string): Promise<boolean> => {
  const probe = await book(stack, 'prober', { tutorId, scheduledAt, bookingMode: 'REQUEST' });
  if (probe.status === 201) {
    expect((await stack.api('POST', `/sessions/${probe.body.session.id}/cancel`, { as: 'prober', body: { reason: 'probe' } })).status).toBe(200);
    return true;
  }
  expect(probe.body.error.code).toBe('SLOT_UNAVAILABLE');
  return false;
};

describe('Rescheduling a paid session to a free time', () => {
  it('moves it: the new time is held, the old one free, the Zoom meeting moved, the tutor told', async () => {
    const tutor = await connectAs(stack, u.ada);
    sockets.push(tutor);
    const from = slotIn(20, 9);
    const to = slotIn(21, 14);
    const { session } = await bookAndPay(stack, u.bola, { tutorId: u.ada, scheduledAt: from });

    const res = await reschedule(session.id, u.bola, to);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: session.id, scheduledAt: to, status: 'SCHEDULED', paymentStatus: 'PAID', price: session.price, durationMinutes: 60 });
    expect((await sessionOf(stack, session.id, u.ada)).scheduledAt).toBe(to);

    expect(await bookable(u.ada, from)).toBe(true);
    expect(await bookable(u.ada, to)).toBe(false);

    // The table stream moves the meeting, after the answer.
    const zoom = zoomOf(stack);
    await until(async () => (Date.parse((await zoom.meeting(session.meetingId))?.start_time ?? '') === Date.parse(to) ? true : undefined));

    const told = await pushed(tutor, 'SESSION_RESCHEDULED', session.id);
    expect(told.notification.sessionId).toBe(session.id);
  });
});

describe('Moves the policy refuses', () => {
  it('answers 409 INVALID_STATE within 12 hours of the start, and the session keeps its time', async () => {
    const start = gridIn(3 * 60);
    const { session } = await bookAndPay(stack, u.chidi, { tutorId: u.tunde, scheduledAt: start }, { meeting: false });
    const res = await reschedule(session.id, u.chidi, slotIn(5, 10));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    expect((await sessionOf(stack, session.id, u.chidi)).scheduledAt).toBe(start);
  });

  it("answers 409 SLOT_UNAVAILABLE outside the tutor's hours and 400 inside their minimum notice", async () => {
    const start = slotIn(6, 10);
    const created = await book(stack, u.bola, { tutorId: DAYTIME_TUTOR, scheduledAt: start, bookingMode: 'REQUEST' });
    expect(created.status).toBe(201);
    const id = created.body.session.id;

    const evening = await reschedule(id, u.bola, slotIn(6, 20));
    expect(evening.status).toBe(409);
    expect(evening.body.error.code).toBe('SLOT_UNAVAILABLE');
    const straddling = await reschedule(id, u.bola, slotIn(6, 17).replace(':00:00', ':30:00'));
    expect(straddling.status).toBe(409);
    expect(straddling.body.error.code).toBe('SLOT_UNAVAILABLE');
    // 15 minutes ahead is inside the tutor's 60-minute notice: not a time a booking could have.
    const tooSoon = await reschedule(id, u.bola, gridIn(15));
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.error.code).toBe('VALIDATION_FAILED');

    expect((await sessionOf(stack, id, u.bola)).scheduledAt).toBe(start);
    expect(await bookable(DAYTIME_TUTOR, start)).toBe(false);
  });
});

describe('Rescheduling into a time taken a moment earlier', () => {
  it('answers 409 SLOT_UNAVAILABLE and the session keeps its time and its hold', async () => {
    const mine = slotIn(30, 9);
    const x = slotIn(30, 13);
    const { session } = await bookAndPay(stack, u.bola, { tutorId: u.tunde, scheduledAt: mine }, { meeting: false });

    const taken = await book(stack, u.chidi, { tutorId: u.tunde, scheduledAt: x });
    expect(taken.status).toBe(201);
    const res = await reschedule(session.id, u.bola, x);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SLOT_UNAVAILABLE');

    expect((await sessionOf(stack, session.id, u.bola)).scheduledAt).toBe(mine);
    expect(await bookable(u.tunde, mine)).toBe(false);
    expect((await sessionOf(stack, taken.body.session.id, u.chidi)).scheduledAt).toBe(x);
  });

  it('gives the time to exactly one of a reschedule and a booking fired at once, round after round', async () => {
    let mine = slotIn(40, 8);
    const { session } = await bookAndPay(stack, u.chidi, { tutorId: u.ada, scheduledAt: mine }, { meeting: false });
    for (let round = 0; round < 8; round += 1) {
      const x = slotIn(41 + round, 10 + (round % 4));
      const racer = `rs-racer-${round}`;
      await stack.token(racer); // signed up front, so both requests leave together
      // The reschedule reads more before it writes, so leaving together the booking always
      // wins: the booking leaves 0–3 round trips (GET /health) later, which moves the race's
      // crossing point past both orders.
      const lag = round % 4;
      const move = reschedule(session.id, u.chidi, x);
      const take = (async () => {
        for (let i = 0; i < lag; i += 1) await stack.api('GET', '/health');
        return book(stack, racer, { tutorId: u.ada, scheduledAt: x, bookingMode: 'REQUEST' });
      })();
      const [moved, booked] = await Promise.all([move, take]);

      expect([moved.status === 200, booked.status === 201].filter(Boolean)).toHaveLength(1);
      const loser = moved.status === 200 ? booked : moved;
      expect([loser.status, loser.body.error.code]).toEqual([409, 'SLOT_UNAVAILABLE']);

      const now = await sessionOf(stack, session.id, u.chidi);
      if (moved.status === 200) {
        expect(now.scheduledAt).toBe(x);
        // The racer got nothing, and the time the session left is free.
        expect((await stack.api('GET', '/me/sessions?view=awaiting-approval', { as: racer })).body.items).toEqual([]);
        expect(await bookable(u.ada, mine)).toBe(true);
        mine = x;
      } else {
        expect(now.scheduledAt).toBe(mine);
        expect(await bookable(u.ada, mine)).toBe(false);
      }
      expect(await bookable(u.ada, x)).toBe(false);
    }
  });
});
