/**
 * GET /sessions/{sessionId}/calendar.ics on the local stack, parsed back with node-ical: the
 * same event as the emailed invite (UID), the session's current SEQUENCE (it moves on with a
 * reschedule), STATUS:CANCELLED once cancelled; 409 before payment, 404 for anyone else. The
 * content type is held to the OpenAPI document by the stack's client.
 */
import * as ical from 'node-ical';
import { until, useLocalStack, slotIn } from '../support/local-stack';
import { book, bookAndPay, useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'calendar');

const eventOf = (text: string) => {
  const parsed = ical.sync.parseICS(text);
  const event = Object.values(parsed).find((c): c is ical.VEvent => c?.type === 'VEVENT')!;
  return {
    uid: event.uid,
    sequence: Number(event.sequence),
    start: new Date(event.start).toISOString(),
    status: event.status,
    method: (parsed.vcalendar as unknown as { method: string }).method,
  };
};

const download = async (id: string, as: string) => {
  const res = await stack.api('GET', `/sessions/${id}/calendar.ics`, { as });
  return { status: res.status, body: res.body as unknown };
};

/** The UID of the invite in the booking email to `userId` about the session. */
const emailedUid = (userId: string, sessionId: string) =>
  until(async () => {
    const mails = (await (await fetch(`${stack.mailUrl}/messages?to=${encodeURIComponent(`${userId}@example.com`)}`)).json()) as {
      text: string;
      attachments: { filename: string | null; url: string }[];
    }[];
    const part = mails.find((m) => m.text.includes(`/mentorship/session/${sessionId}`))?.attachments.find((a) => a.filename === 'invite.ics');
    return part ? eventOf(await (await fetch(`${stack.mailUrl}${part.url}`)).text()).uid : undefined;
  });

beforeAll(async () => {
  // What the web client does at sign-up (this also records the address the invite is emailed to).
  expect((await stack.api('PUT', '/me/preferences', { as: u.bola, body: { timeZone: 'Africa/Lagos' } })).status).toBe(200);
});

describe('The calendar file of a session', () => {
  it('is the booked session for both participants, follows a reschedule, and shows the cancellation', async () => {
    const from = slotIn(17, 9);
    const to = slotIn(18, 12);
    const { session } = await bookAndPay(stack, u.bola, { tutorId: u.ada, scheduledAt: from, title: 'Calendar file' });
    const id = session.id as string;

    const [student, tutor] = await Promise.all([download(id, u.bola), download(id, u.ada)]);
    expect([student.status, tutor.status]).toEqual([200, 200]);
    const first = eventOf(student.body as string);
    expect(first).toMatchObject({ method: 'PUBLISH', start: from, status: 'CONFIRMED' });
    expect(eventOf(tutor.body as string).uid).toBe(first.uid);
    expect(await emailedUid(u.bola, id)).toBe(first.uid);

    expect((await stack.api('POST', `/sessions/${id}/reschedule`, { as: u.bola, body: { scheduledAt: to } })).status).toBe(200);
    const moved = eventOf((await download(id, u.ada)).body as string);
    expect(moved).toMatchObject({ uid: first.uid, start: to });
    expect(moved.sequence).toBeGreaterThan(first.sequence);

    expect((await stack.api('POST', `/sessions/${id}/cancel`, { as: u.ada, body: { reason: 'Unwell' } })).status).toBe(200);
    const cancelled = eventOf((await download(id, u.bola)).body as string);
    expect(cancelled).toMatchObject({ uid: first.uid, status: 'CANCELLED' });
    expect(cancelled.sequence).toBeGreaterThan(moved.sequence);

    expect((await download(id, u.chidi)).status).toBe(404);
    expect((await download(id, u.admin)).status).toBe(404);
  });

  it('is 409 SESSION_NOT_BOOKED for a request not yet approved and paid', async () => {
    const created = await book(stack, u.chidi, { tutorId: u.tunde, scheduledAt: slotIn(19, 10), bookingMode: 'REQUEST', title: 'Not booked yet' });
    expect(created.status).toBe(201);
    const res = await download(created.body.session.id as string, u.tunde);
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'SESSION_NOT_BOOKED' } } });
  });
});
