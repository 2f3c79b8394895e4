/**
 * GET /sessions/{sessionId}/calendar.ics through its handler against DynamoDB Local: the
 * booked session as an iCalendar file for its two participants (parsed back with node-ical),
 * the same UID as the emailed invites, the session's current SEQUENCE, STATUS:CANCELLED once
 * cancelled; 409 SESSION_NOT_BOOKED before payment; 404 for anyone else.
 */
import * as ical from 'node-ical';
import { handler } from './getSessionCalendar';
import { emailSender } from '../../shared/config';
import { getSession } from '../../shared/data/sessions';
import { inviteUid } from '../../shared/email/invite';
import { call, caller } from '../../test/support/http';
import { givenSession } from '../../test/support/sessions';
import { useTestTable } from '../../test/support/table';

useTestTable();

const ROUTE = 'GET /sessions/{sessionId}/calendar.ics';
const download = (as: ReturnType<typeof caller>, sessionId: string) => call(handler, ROUTE, { as, pathParameters: { sessionId } });

const eventOf = (text: string) => {
  const parsed = ical.sync.parseICS(text);
  const event = Object.values(parsed).find((c): c is ical.VEvent => c?.type === 'VEVENT')!;
  return { event, method: (parsed.vcalendar as unknown as { method: string }).method };
};

let n = 0;
const parties = () => {
  n += 1;
  return { student: caller(`cal-student-${n}`, 'student'), tutor: caller(`cal-tutor-${n}`, 'tutor') };
};

describe('GET /sessions/{sessionId}/calendar.ics', () => {
  it('answers both participants the booked session as text/calendar: METHOD:PUBLISH, the invites’ UID, the current SEQUENCE', async () => {
    const { student, tutor } = parties();
    const s = await givenSession(student.sub, tutor.sub, { meetingUrl: 'https://zoom.example/j/1' });
    const stored = (await getSession(s.id))!;
    for (const who of [student, tutor]) {
      const res = await download(who, s.id);
      expect(res.status).toBe(200);
      expect(res.headers?.['content-type']).toBe('text/calendar; charset=utf-8');
      const { event, method } = eventOf(res.body as string);
      expect(method).toBe('PUBLISH');
      expect(event.uid).toBe(inviteUid(s.id, emailSender().address.split('@')[1]!));
      expect(Number(event.sequence)).toBe(stored.version);
      expect(new Date(event.start).toISOString()).toBe(s.scheduledAt);
      expect(new Date(event.end!).getTime() - new Date(event.start).getTime()).toBe(60 * 60_000);
      expect(event.status).toBe('CONFIRMED');
      expect(String(event.description)).toContain('Join: https://zoom.example/j/1');
      expect(String(event.description)).toContain(`/mentorship/session/${s.id}`);
    }
  });

  it('shows a cancelled booking as STATUS:CANCELLED', async () => {
    const { student } = parties();
    const s = await givenSession(student.sub, 'cal-tutor-x', { status: 'CANCELLED', paymentStatus: 'REFUNDED', cancelledAt: new Date().toISOString() });
    const res = await download(student, s.id);
    expect(res.status).toBe(200);
    expect(eventOf(res.body as string).event.status).toBe('CANCELLED');
  });

  it('is 409 SESSION_NOT_BOOKED before the session is paid', async () => {
    const { student, tutor } = parties();
    const s = await givenSession(student.sub, tutor.sub, { status: 'PENDING_MENTOR_REVIEW', paymentStatus: 'PENDING', bookingMode: 'REQUEST' });
    const res = await download(tutor, s.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'SESSION_NOT_BOOKED' } });
  });

  it('is 404 for anyone but the two participants, admins included, as for a session that does not exist', async () => {
    const { student, tutor } = parties();
    const s = await givenSession(student.sub, tutor.sub);
    expect((await download(caller('cal-stranger', 'student'), s.id)).body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await download(caller('cal-admin', 'admin'), s.id)).status).toBe(404);
    expect((await download(student, '01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
  });
});
