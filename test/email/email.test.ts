/**
 * Email from stored notifications, against DynamoDB Local, the real table-stream poller and
 * consumer, and the mail catcher speaking SES v2's SendEmail wire format (the SDK client is
 * pointed at it): rendering in the recipient's time zone with links into the web client, the
 * calendar invite parsed back with node-ical, at most one email per notification under
 * redelivery, preferences and one-click unsubscribe, and a bounced address left alone.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, SNSEvent } from 'aws-lambda';
import * as ical from 'node-ical';
import { ulid } from 'ulid';
import { startMailCatcher, SIMULATOR, type MailCatcher } from '../../infra/local/emulators/mail/catcher';
import { handler as emailConsumer } from '../../functions/streams/emailNotifications';
import { handler as sesEvents } from '../../functions/email/sesEvents';
import { handler as getMyPreferences } from '../../functions/http/getMyPreferences';
import { handler as putMyPreferences } from '../../functions/http/putMyPreferences';
import { handler as emailUnsubscribe } from '../../functions/http/emailUnsubscribe';
import { ddb } from '../../shared/data/client';
import { putEmailPreferences } from '../../shared/data/email';
import { notificationKey } from '../../shared/data/keys';
import { getSession, transitionSession } from '../../shared/data/sessions';
import { putUser } from '../../shared/data/users';
import { defaultPreferences } from '../../shared/domain/email';
import type { Session } from '../../shared/domain/session';
import { inboxEntries, notify, type NotifyRequest } from '../../shared/usecases/notify';
import { emailNotification } from '../../shared/usecases/email';
import { call, caller } from '../support/http';
import { givenSession } from '../support/sessions';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { listNotifications } from '../../shared/data/notifications';

const FRONTEND = 'https://app.example.test';
const API = 'https://api.example.test';
process.env.FRONTEND_URL = FRONTEND;
process.env.API_URL = API;
process.env.EMAIL_LINK_SECRET = 'test-email-link-secret';
process.env.EMAIL_FROM = 'no-reply@mail.example.test';

const streams = useTableStreams({ consumers: ['emailNotifications'] });
useTestTable();

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher({
    log: false,
    onEvent: async (event) => {
      await sesEvents(snsEvent(event), lambdaContext);
    },
  });
  process.env.AWS_ENDPOINT_URL_SESV2 = catcher.url;
});
afterAll(() => catcher?.stop());

const lambdaContext = { functionName: 'test-ses-events', awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as never;

const snsEvent = (message: unknown): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:ses-events:sub',
      Sns: {
        Type: 'Notification',
        MessageId: ulid(),
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:ses-events',
        Subject: '',
        Message: JSON.stringify(message),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    },
  ],
});

interface Caught {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { filename: string | null; contentType: string; url: string }[];
}

/** What the catcher holds for an address, over its own HTTP API (as the e2e tests read it). */
const inbox = async (address: string): Promise<Caught[]> => (await fetch(`${catcher.url}/messages?to=${encodeURIComponent(address)}`)).json() as Promise<Caught[]>;

const inviteOf = async (m: Caught) => {
  const part = m.attachments.find((a) => a.filename === 'invite.ics');
  if (!part) throw new Error(`No invite.ics on "${m.subject}"`);
  const text = await (await fetch(`${catcher.url}${part.url}`)).text();
  const parsed = ical.sync.parseICS(text);
  const event = Object.values(parsed).find((c): c is ical.VEvent => c?.type === 'VEVENT')!;
  return { event, method: (parsed.vcalendar as unknown as { method: string }).method, text };
};

let n = 0;
/** A student and a tutor with addresses and time zones of their own, and a paid session between them. */
const parties = async (zones: { student?: string; tutor?: string } = {}, over: Partial<Session> = {}) => {
  n += 1;
  const run = `${Date.now().toString(36)}${n}`;
  const student = { id: `em-student-${run}`, email: `student-${run}@example.test` };
  const tutor = { id: `em-tutor-${run}`, email: `tutor-${run}@example.test` };
  const at = new Date().toISOString();
  await putUser({ id: student.id, displayName: 'Bola Student', email: student.email, roles: ['student'], createdAt: at });
  await putUser({ id: tutor.id, displayName: 'Ada Tutor', email: tutor.email, roles: ['tutor'], createdAt: at });
  if (zones.student) await putEmailPreferences(student.id, defaultPreferences(zones.student), at);
  if (zones.tutor) await putEmailPreferences(tutor.id, defaultPreferences(zones.tutor), at);
  const session = await givenSession(student.id, tutor.id, {
    meetingUrl: 'https://zoom.example.test/j/123',
    student: { id: student.id, displayName: 'Bola Student' },
    tutor: { id: tutor.id, displayName: 'Ada Tutor' },
    ...over,
  });
  return { student, tutor, session: (await getSession(session.id))! };
};

const tell = async (req: NotifyRequest) => {
  await notify(req);
  await streams.idle();
};

describe('Rendering', () => {
  it('shows times in each recipient’s own time zone and links to the web client’s session page', async () => {
    const { student, tutor, session } = await parties({ student: 'Africa/Lagos', tutor: 'Asia/Kolkata' });
    await tell({ event: 'BOOKING_CONFIRMED', session, to: ['student'] });
    await tell({ event: 'PAYMENT_RECEIVED', session, to: ['tutor'] });

    const [toStudent] = await inbox(student.email);
    const [toTutor] = await inbox(tutor.email);
    const hhmm = (zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date(session.scheduledAt));
    // 10:00 UTC: 11:00 in Lagos, 15:30 in Kolkata.
    expect(hhmm('Africa/Lagos')).toBe('11:00');
    expect(toStudent!.subject).toContain('11:00 (Africa/Lagos');
    expect(toTutor!.subject).toContain('15:30 (Asia/Kolkata');
    for (const m of [toStudent!, toTutor!]) {
      expect(m.subject).toMatch(/^Booked: "Career chat"/);
      expect(m.text).toContain(`${FRONTEND}/mentorship/session/${session.id}`);
      expect(m.html).toContain(`href="${FRONTEND}/mentorship/session/${session.id}"`);
      expect(m.text).toContain('Join link: https://zoom.example.test/j/123');
      // Money mail: always sent, so no unsubscribe headers.
      expect(m.headers['list-unsubscribe']).toBeUndefined();
    }
    expect(toTutor!.text).toContain('Bola Student paid for the session. You earn');
    expect(toStudent!.text).toContain('Your payment of NGN 5,000.00 was received');
  });

  it('defaults to UTC, escapes what users typed in the HTML, and puts the payment deadline in the approval', async () => {
    const approvedAt = new Date().toISOString();
    const { student, session } = await parties({}, { status: 'SCHEDULED', paymentStatus: 'PENDING', bookingMode: 'REQUEST', approvedAt, title: 'Intro <b>SQL</b> & "joins"' });
    await tell({ event: 'REQUEST_APPROVED', session, to: ['student'] });
    const [m] = await inbox(student.email);
    expect(m!.subject).toMatch(/^Approved: pay by .+\(UTC\) to book "Intro <b>SQL<\/b> & "joins""$/);
    expect(m!.html).toContain('Intro &lt;b&gt;SQL&lt;/b&gt; &amp; &quot;joins&quot;');
    expect(m!.html).not.toContain('<b>SQL</b>');
    expect(m!.text).toMatch(/Pay by: .+ \(UTC\)/);
    expect(m!.text).toContain(`Proceed to Payment: ${FRONTEND}/mentorship/session/${session.id}`);
  });
});

describe('Calendar invites', () => {
  it('invites on booking, updates the same UID with a higher SEQUENCE on reschedule, and cancels it with METHOD:CANCEL', async () => {
    const { student, session } = await parties({ student: 'Europe/London' });
    await tell({ event: 'BOOKING_CONFIRMED', session, to: ['student'] });

    const previousScheduledAt = session.scheduledAt;
    const movedTo = new Date(Date.parse(session.scheduledAt) + 86_400_000).toISOString();
    const moved = await transitionSession(session, { ...session, scheduledAt: movedTo, updatedAt: new Date().toISOString() });
    await tell({ event: 'SESSION_RESCHEDULED', session: moved, to: ['student'], extra: { previousScheduledAt }, occurrence: String(moved.version) });

    const cancelled = await transitionSession(moved, { ...moved, status: 'CANCELLED', cancellationReason: 'Tutor unwell', cancelledAt: new Date().toISOString() });
    await tell({ event: 'SESSION_CANCELLED', session: cancelled, to: ['student'], extra: { reason: 'Tutor unwell' } });

    const [booked, rescheduled, cancel] = await inbox(student.email);
    expect([booked, rescheduled, cancel].map((m) => m!.subject.split(':')[0])).toEqual(['Booked', 'Moved', 'Cancelled']);
    const invites = await Promise.all([booked!, rescheduled!, cancel!].map(inviteOf));
    expect(invites.map((i) => i.method)).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
    expect(new Set(invites.map((i) => i.event.uid))).toEqual(new Set([`session-${session.id}@mail.example.test`]));
    const sequences = invites.map((i) => Number(i.event.sequence));
    expect(sequences[1]).toBeGreaterThan(sequences[0]!);
    expect(sequences[2]).toBeGreaterThan(sequences[1]!);
    expect(new Date(invites[0]!.event.start).toISOString()).toBe(previousScheduledAt);
    expect(new Date(invites[1]!.event.start).toISOString()).toBe(movedTo);
    expect(String(invites[0]!.event.description)).toContain('Join: https://zoom.example.test/j/123');
    expect(String(invites[0]!.event.description)).toContain(`Session page: ${FRONTEND}/mentorship/session/${session.id}`);
    const url = invites[0]!.event.url as unknown as string | { val: string };
    expect(typeof url === 'string' ? url : url.val).toBe(`${FRONTEND}/mentorship/session/${session.id}`);
    // The recipient alone is the attendee (the other party's address is not shown); the platform organizes.
    const unfolded = invites[0]!.text.replace(/\r?\n[ \t]/g, '');
    expect(unfolded.match(/^ATTENDEE;.*$/gm)).toEqual([expect.stringMatching(new RegExp(`:mailto:${student.email.replace(/\./g, '\\.')}$`, 'i'))]);
    expect(unfolded).toMatch(/^ORGANIZER;CN="?Mentorship"?:mailto:no-reply@mail\.example\.test$/m);
    // Mail clients recognise the invite by its text/calendar alternative with the method.
    expect(booked!.attachments.map((a) => a.contentType)).toEqual(expect.arrayContaining(['text/calendar', 'application/ics']));
    expect(rescheduled!.text).toContain(`Was: ${new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short' }).format(new Date(previousScheduledAt))}`);
    expect(cancel!.text).toContain('Reason: Tutor unwell');
  });

  it('sends no invite about a request that was never paid', async () => {
    const { student, session } = await parties({}, { status: 'CANCELLED', paymentStatus: 'PENDING', bookingMode: 'REQUEST' });
    await tell({ event: 'SESSION_CANCELLED', session, to: ['student'], extra: { reason: 'Not paid within the payment window' } });
    const [m] = await inbox(student.email);
    expect(m!.subject).toMatch(/^Cancelled:/);
    expect(m!.attachments).toEqual([]);
  });
});

describe('At most one email per notification', () => {
  /** The stream record of a stored notification, as Lambda delivers it. */
  const recordOf = async (userId: string): Promise<DynamoDBRecord> => {
    const { items } = await listNotifications(userId, undefined, 1);
    const { Item } = await ddb.send(new GetCommand({ TableName: process.env.TABLE_NAME!, Key: notificationKey(userId, items[0]!.id) }));
    return {
      eventName: 'INSERT',
      eventID: ulid(),
      dynamodb: { NewImage: marshall(Item!) as never, SequenceNumber: '1', Keys: marshall(notificationKey(userId, items[0]!.id)) as never },
    };
  };
  const deliver = (record: DynamoDBRecord) =>
    (emailConsumer as unknown as (e: DynamoDBStreamEvent, c: unknown) => Promise<{ batchItemFailures: unknown[] }>)({ Records: [record] }, {});

  it('sends one email for a stream record delivered three times', async () => {
    const { student, session } = await parties();
    await tell({ event: 'SESSION_REMINDER', session, to: ['student'], occurrence: session.scheduledAt, lead: '24h' });
    const record = await recordOf(student.id);
    expect((await deliver(record)).batchItemFailures).toEqual([]);
    expect((await deliver(record)).batchItemFailures).toEqual([]);
    const caught = await inbox(student.email);
    expect(caught).toHaveLength(1);
    expect(caught[0]!.subject).toBe('Starts tomorrow: "Career chat"');
  });

  it('sends again after SES refused the message (it was not sent), never after an outcome it cannot know', async () => {
    const { student, session } = await parties();
    // The item as the stream would carry it, never stored: only these calls handle it.
    const [entry] = inboxEntries({ event: 'RECORDING_READY', session, to: ['student'], occurrence: 'u1' });
    const Item = { ...notificationKey(student.id, entry!.notification.id), type: 'Notification', ...entry!.notification, facts: entry!.facts };
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    await expect(emailNotification(Item, { clock: () => new Date(), send: () => Promise.reject(throttled) })).rejects.toThrow('Maximum sending rate');
    const timedOut = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    await expect(emailNotification(Item, { clock: () => new Date(), send: () => Promise.reject(timedOut) })).resolves.toBe('unknown');
    // The stream's retry after the unknown outcome: nothing is sent.
    expect(await emailNotification(Item)).toBe('already-claimed');
    expect(await inbox(student.email)).toEqual([]);
  });
});

describe('Preferences and unsubscribe', () => {
  it('GET and PUT /me/preferences: time zone and optional kinds; a kind about money cannot be switched off (400)', async () => {
    const me = caller(`em-prefs-${Date.now()}`, 'student');
    const initial = await call(getMyPreferences, 'GET /me/preferences', { as: me });
    expect(initial.status).toBe(200);
    expect(initial.body.timeZone).toBe('UTC');
    expect(initial.body.timeZoneSet).toBe(false);
    expect(initial.body.email.SESSION_REMINDER).toBe(true);
    expect(initial.body.alwaysSent).toEqual(['REQUEST_APPROVED', 'BOOKING_CONFIRMED', 'REFUND_ISSUED', 'PAYOUT_ACCOUNT_CHANGED', 'WITHDRAWAL_SUCCEEDED', 'WITHDRAWAL_FAILED']);

    const put = await call(putMyPreferences, 'PUT /me/preferences', { as: me, body: { timeZone: 'Africa/Lagos', email: { SESSION_REMINDER: false, BOOKING_CONFIRMED: true } } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(
      expect.objectContaining({ timeZone: 'Africa/Lagos', timeZoneSet: true, email: expect.objectContaining({ SESSION_REMINDER: false, RECORDING_READY: true }) }),
    );
    expect((await call(getMyPreferences, 'GET /me/preferences', { as: me })).body).toEqual(put.body);

    const money = await call(putMyPreferences, 'PUT /me/preferences', { as: me, body: { timeZone: 'UTC', email: { REFUND_ISSUED: false } } });
    expect(money.status).toBe(400);
    expect(money.body.error).toEqual(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'email.REFUND_ISSUED', message: 'Emails about money cannot be switched off' })],
      }),
    );
    const zone = await call(putMyPreferences, 'PUT /me/preferences', { as: me, body: { timeZone: 'Mars/Olympus_Mons' } });
    expect(zone.status).toBe(400);
    expect(zone.body.error.details).toEqual([expect.objectContaining({ path: 'timeZone', message: 'Unknown time zone' })]);
  });

  it('an optional kind switched off is not emailed; money mail still is', async () => {
    const { student, session } = await parties();
    const me = { sub: student.id, groups: ['student'], name: 'Bola Student' };
    expect((await call(putMyPreferences, 'PUT /me/preferences', { as: me, body: { timeZone: 'UTC', email: { SESSION_REMINDER: false } } })).status).toBe(200);
    await tell({ event: 'SESSION_REMINDER', session, to: ['student'], occurrence: session.scheduledAt, lead: '15m' });
    await tell({ event: 'REFUND_ISSUED', session, to: ['student'], extra: { refund: { amount: 250_000, currency: 'NGN' } }, occurrence: 'r1' });
    expect((await inbox(student.email)).map((m) => m.subject)).toEqual(['Refund of NGN 2,500.00: "Career chat"']);
  });

  it('one-click unsubscribe: the List-Unsubscribe URL, POSTed without sign-in, switches that kind off; a forged token is refused; the body links to the web client’s page', async () => {
    const { student, session } = await parties();
    await tell({ event: 'RECORDING_READY', session, to: ['student'], occurrence: 'first' });
    const [m] = await inbox(student.email);
    expect(m!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const url = new URL(m!.headers['list-unsubscribe']!.replace(/^<|>$/g, ''));
    expect(`${url.origin}${url.pathname}`).toBe(`${API}/email/unsubscribe`);
    // The body's link opens the web client's page with the same token (a browser GETs links; the page POSTs).
    expect(m!.text).toContain(`Unsubscribe from these emails: ${FRONTEND}/email/unsubscribe${url.search}`);
    expect(m!.html).toContain(`href="${FRONTEND}/email/unsubscribe${url.search}"`);

    const token = url.searchParams.get('token')!;
    const forged = token.replace(/\.RECORDING_READY\./, '.SESSION_REMINDER.');
    const refused = await call(emailUnsubscribe, 'POST /email/unsubscribe', {
      query: { token: forged },
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(refused.status).toBe(400);
    expect((await call(emailUnsubscribe, 'POST /email/unsubscribe', { query: { token: 'nonsense' } })).status).toBe(400);

    const res = await call(emailUnsubscribe, 'POST /email/unsubscribe', {
      query: { token },
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unsubscribed: ['RECORDING_READY'] });
    await tell({ event: 'RECORDING_READY', session, to: ['student'], occurrence: 'second' });
    await tell({ event: 'SESSION_REMINDER', session, to: ['student'], occurrence: session.scheduledAt, lead: '15m' });
    expect((await inbox(student.email)).map((x) => x.subject)).toEqual([m!.subject, 'Starts in 15 minutes: "Career chat"']);
  });
});

describe('Bounces and complaints', () => {
  it('an address that bounced for good receives nothing more', async () => {
    const { session } = await parties();
    const at = new Date().toISOString();
    await putUser({ id: session.studentId, displayName: 'Bola Student', email: SIMULATOR.bounce, roles: ['student'], createdAt: at });
    await tell({ event: 'RECORDING_READY', session, to: ['student'], occurrence: 'before' });
    expect(await inbox(SIMULATOR.bounce)).toHaveLength(1);
    // The catcher publishes the bounce as SES would; the events function records it.
    const { isSuppressed } = await import('../../shared/data/email');
    for (let i = 0; i < 100 && !(await isSuppressed(SIMULATOR.bounce)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await isSuppressed(SIMULATOR.bounce)).toBe(true);

    await tell({ event: 'REFUND_ISSUED', session, to: ['student'], occurrence: 'after' });
    expect(await inbox(SIMULATOR.bounce)).toHaveLength(1);
  });

  it('a complaint suppresses the address; a transient bounce does not', async () => {
    const { isSuppressed } = await import('../../shared/data/email');
    const soft = `soft-${Date.now()}@example.test`;
    const angry = `Angry-${Date.now()}@Example.test`;
    await sesEvents(
      snsEvent({ eventType: 'Bounce', bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: soft }] }, mail: {} }),
      lambdaContext,
    );
    await sesEvents(snsEvent({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: angry }] }, mail: {} }), lambdaContext);
    await sesEvents(snsEvent('not an SES event'), lambdaContext);
    expect(await isSuppressed(soft)).toBe(false);
    expect(await isSuppressed(angry.toLowerCase())).toBe(true);
  });
});
