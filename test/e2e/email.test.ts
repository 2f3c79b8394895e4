/**
 * Email on the local stack, read back from the mail catcher (the stack's SES endpoint) over
 * its HTTP API: the REQUEST journey (request, approval with the payment deadline, booking),
 * an INSTANT booking, a reschedule and a cancel (both parties get the invite's update or
 * cancellation: the one who made the change has it in their calendar too), each email to the right person with the
 * right subject, links into the web client, times in the recipient's time zone, and the
 * calendar invite parsed back with node-ical.
 */
import * as ical from 'node-ical';
import { until, useLocalStack, slotIn } from '../support/local-stack';
import { book, bookAndPay, checkout, sessionWhen, useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'email');

interface Caught {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { filename: string | null; contentType: string; url: string }[];
}

const addressOf = (userId: string) => `${userId}@example.com`;

/** The emails to `userId` about `sessionId` (its page's link is in every one). */
const mailsAbout = async (userId: string, sessionId: string): Promise<Caught[]> => {
  const res = await fetch(`${stack.mailUrl}/messages?to=${encodeURIComponent(addressOf(userId))}`);
  return ((await res.json()) as Caught[]).filter((m) => m.text.includes(`/mentorship/session/${sessionId}`));
};

/** Waits until `userId` has `count` emails about the session; returns their subjects' first words and the emails. */
const mailsWhen = (userId: string, sessionId: string, count: number) =>
  until(async () => {
    const mails = await mailsAbout(userId, sessionId);
    return mails.length >= count ? mails : undefined;
  });

const inviteOf = async (m: Caught) => {
  const part = m.attachments.find((a) => a.filename === 'invite.ics');
  if (!part) throw new Error(`No invite on "${m.subject}"`);
  const parsed = ical.sync.parseICS(await (await fetch(`${stack.mailUrl}${part.url}`)).text());
  const event = Object.values(parsed).find((c): c is ical.VEvent => c?.type === 'VEVENT')!;
  return { uid: event.uid, sequence: Number(event.sequence), start: new Date(event.start).toISOString(), method: (parsed.vcalendar as unknown as { method: string }).method };
};

const hhmm = (iso: string, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

beforeAll(async () => {
  // What the web client does at sign-up: the browser's time zone (this also records the address).
  for (const [user, timeZone] of [
    [u.ada, 'Africa/Lagos'],
    [u.tunde, 'Europe/London'],
    [u.bola, 'Asia/Kolkata'],
    [u.chidi, 'America/Sao_Paulo'],
  ] as const) {
    const res = await stack.api('PUT', '/me/preferences', { as: user, body: { timeZone } });
    expect(res.status).toBe(200);
  }
});

describe('Emails on the local stack', () => {
  it('REQUEST: the tutor is told of the request, the student of the approval with the payment deadline, both of the booking with an invite', async () => {
    const scheduledAt = slotIn(12, 10);
    const created = await book(stack, u.bola, { tutorId: u.ada, scheduledAt, bookingMode: 'REQUEST', title: 'Email request' });
    expect(created.status).toBe(201);
    const id = created.body.session.id as string;

    const [request] = await mailsWhen(u.ada, id, 1);
    expect(request!.subject).toBe(`New session request: "Email request" on ${request!.subject.split(' on ')[1]}`);
    expect(request!.subject).toContain(`${hhmm(scheduledAt, 'Africa/Lagos')} (Africa/Lagos`);
    expect(request!.text).toContain(`Review Request: ${stack.webUrl}/tutor/mentorship?tab=approvals`);
    expect(request!.headers['list-unsubscribe']).toMatch(/^<http:\/\/localhost:\d+\/email\/unsubscribe\?token=/);
    const token = new URL(request!.headers['list-unsubscribe']!.replace(/^<|>$/g, '')).searchParams.get('token')!;
    expect(request!.text).toContain(`Unsubscribe from these emails: ${stack.webUrl}/email/unsubscribe?token=${encodeURIComponent(token)}`);

    expect((await stack.api('POST', `/sessions/${id}/approve`, { as: u.ada, body: {} })).status).toBe(200);
    const [approved] = await mailsWhen(u.bola, id, 1);
    expect(approved!.subject).toMatch(/^Approved: pay by .+\(Asia\/Kolkata, GMT\+5:30\) to book "Email request"$/);
    expect(approved!.text).toContain(`Proceed to Payment: ${stack.webUrl}/mentorship/session/${id}`);
    expect(approved!.headers['list-unsubscribe']).toBeUndefined();

    const pay = await stack.api('POST', `/sessions/${id}/payment`, { as: u.bola });
    expect(pay.status).toBe(200);
    await checkout(pay.body.authorizationUrl);
    await sessionWhen(stack, id, u.bola, (s) => s.paymentStatus === 'PAID');

    const student = await mailsWhen(u.bola, id, 2);
    const tutor = await mailsWhen(u.ada, id, 2);
    expect(student.map((m) => m.subject.split(':')[0])).toEqual(['Approved', 'Booked']);
    expect(tutor.map((m) => m.subject.split(':')[0])).toEqual(['New session request', 'Booked']);
    expect(student[1]!.subject).toContain(`${hhmm(scheduledAt, 'Asia/Kolkata')} (Asia/Kolkata`);
    expect(tutor[1]!.subject).toContain(`${hhmm(scheduledAt, 'Africa/Lagos')} (Africa/Lagos`);
    const invites = await Promise.all([student[1]!, tutor[1]!].map(inviteOf));
    for (const invite of invites) expect(invite).toEqual(expect.objectContaining({ method: 'REQUEST', start: scheduledAt, uid: expect.stringContaining(`session-${id}@`) }));
  });

  it('INSTANT, then a reschedule and a cancel: the invite is updated under the same UID with a higher SEQUENCE, then cancelled', async () => {
    const from = slotIn(14, 9);
    const to = slotIn(15, 13);
    const { session } = await bookAndPay(stack, u.chidi, { tutorId: u.tunde, scheduledAt: from, title: 'Email instant' });
    const id = session.id as string;

    const [booked] = await mailsWhen(u.chidi, id, 1);
    const [tutorBooked] = await mailsWhen(u.tunde, id, 1);
    expect(booked!.subject).toBe(`Booked: "Email instant" on ${booked!.subject.split(' on ')[1]}`);
    expect(booked!.subject).toContain(`${hhmm(from, 'America/Sao_Paulo')} (America/Sao_Paulo`);
    expect(booked!.text).toContain(`Join link: ${session.meetingUrl}`);
    expect(tutorBooked!.text).toContain('paid for the session. You earn');

    expect((await stack.api('POST', `/sessions/${id}/reschedule`, { as: u.chidi, body: { scheduledAt: to } })).status).toBe(200);
    const [, moved] = await mailsWhen(u.tunde, id, 2);
    expect(moved!.subject).toBe(`Moved: "Email instant" is now on ${moved!.subject.split(' is now on ')[1]}`);
    expect(moved!.subject).toContain(`${hhmm(to, 'Europe/London')} (Europe/London`);
    expect(moved!.text).toContain(`Was: `);
    // The student who moved it gets the update too, before anything else changes the session.
    await mailsWhen(u.chidi, id, 2);

    expect((await stack.api('POST', `/sessions/${id}/cancel`, { as: u.chidi, body: { reason: 'Plans changed' } })).status).toBe(200);
    const tutorMails = await mailsWhen(u.tunde, id, 3);
    expect(tutorMails.map((m) => m.subject.split(':')[0])).toEqual(['Booked', 'Moved', 'Cancelled']);
    expect(tutorMails[2]!.text).toContain('Reason: Plans changed');

    const [first, second, third] = await Promise.all(tutorMails.map(inviteOf));
    expect([first!.method, second!.method, third!.method]).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
    expect(new Set([first!.uid, second!.uid, third!.uid]).size).toBe(1);
    expect(second!.sequence).toBeGreaterThan(first!.sequence);
    expect(third!.sequence).toBeGreaterThan(second!.sequence);
    expect([first!.start, second!.start]).toEqual([from, to]);

    // The student who moved and cancelled it has it in their calendar too: the same updates,
    // with the same UID and SEQUENCE; and the refund (money: always sent).
    const studentMails = await mailsWhen(u.chidi, id, 4);
    const subjects = studentMails.map((m) => m.subject.split(':')[0]!);
    expect(subjects.filter((x) => !x.startsWith('Refund of NGN '))).toEqual(['Booked', 'Moved', 'Cancelled']);
    expect(subjects.filter((x) => x.startsWith('Refund of NGN '))).toHaveLength(1);
    const mail = (word: string) => studentMails.find((m) => m.subject.startsWith(word))!;
    expect(mail('Moved').subject).toContain(`${hhmm(to, 'America/Sao_Paulo')} (America/Sao_Paulo`);
    const [booked2, moved2, cancelled2] = await Promise.all(['Booked', 'Moved', 'Cancelled'].map((w) => inviteOf(mail(w))));
    expect([booked2!.method, moved2!.method, cancelled2!.method]).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
    expect(new Set([first!.uid, booked2!.uid, moved2!.uid, cancelled2!.uid]).size).toBe(1);
    expect(moved2!.sequence).toBeGreaterThan(booked2!.sequence);
    expect(cancelled2!.sequence).toBeGreaterThan(moved2!.sequence);
    expect(moved2!.start).toBe(to);
  });

  it('sends nothing to a user who switched a kind off, and the catcher lists every message on its page', async () => {
    expect((await stack.api('PUT', '/me/preferences', { as: u.ada, body: { timeZone: 'Africa/Lagos', email: { REQUEST_RECEIVED: false } } })).status).toBe(200);
    const created = await book(stack, u.bola, { tutorId: u.ada, scheduledAt: slotIn(16, 11), bookingMode: 'REQUEST', title: 'Quiet request' });
    expect(created.status).toBe(201);
    const id = created.body.session.id as string;
    // A later email about the same session reaches the tutor: the request's was skipped, not late.
    expect((await stack.api('POST', `/sessions/${id}/cancel`, { as: u.bola, body: { reason: 'No longer needed' } })).status).toBe(200);
    const mails = await mailsWhen(u.ada, id, 1);
    expect(mails.map((m) => m.subject.split(':')[0])).toEqual(['Cancelled']);
    const page = await (await fetch(`${stack.mailUrl}/`)).text();
    expect(page).toContain('Cancelled: &quot;Quiet request&quot;');
  });
});
