/**
 * The meeting routes, called as API Gateway calls them, against DynamoDB Local and the Zoom
 * emulator: the tutor's own link (PUT meeting-url) and the host's start link, fetched fresh
 * for the session's tutor and nobody else. (The recordings: recordings.test.ts.)
 */
import { handler as getSession } from './getSession';
import { handler as getHostLink } from './getHostLink';
import { getMeetingRecord } from '../../shared/data/meetings';
import { handler as setMeetingUrl } from './setMeetingUrl';
import { handler as listMySessions } from './listMySessions';
import { handler as listTutorSessions } from './listTutorSessions';
import { handler as listAdminSessions } from './listAdminSessions';
import { getSession as loadSession } from '../../shared/data/sessions';
import { STUDENT_VIEWS, TUTOR_VIEWS } from '../../shared/domain/views';
import { createSessionMeeting } from '../../shared/usecases/meetings';
import type { Session } from '../../shared/domain/session';
import { useTestTable } from '../../test/support/table';
import { call, caller, type TestCaller } from '../../test/support/http';
import { useZoomEmulator } from '../../test/support/zoom';
import { givenSession } from '../../test/support/sessions';

useTestTable();
const zoom = useZoomEmulator();

const GET_SESSION = 'GET /sessions/{sessionId}';
const PUT_URL = 'PUT /sessions/{sessionId}/meeting-url';
const HOST_LINK = 'GET /sessions/{sessionId}/host-link';

let n = 0;
const parties = () => {
  n += 1;
  return {
    student: caller(`mr-student-${n}`, 'student'),
    tutor: caller(`mr-tutor-${n}`, 'tutor'),
    stranger: caller(`mr-stranger-${n}`, 'student'),
    otherTutor: caller(`mr-other-tutor-${n}`, 'tutor'),
    admin: caller(`mr-admin-${n}`, 'admin'),
  };
};

/** A paid session with its Zoom meeting, made by the CreateMeeting step's use case. */
const withMeeting = async (p: ReturnType<typeof parties>, over: Partial<Session> = {}) => {
  const s = await givenSession(p.student.sub, p.tutor.sub, over);
  const { meetingId } = await createSessionMeeting(s.id);
  const m = zoom.emulator.meetings.get(meetingId!)!;
  return { id: s.id, meetingId: meetingId!, joinUrl: m.joinUrl };
};

const setUrl = (as: TestCaller, sessionId: string, body: unknown) => call(setMeetingUrl, PUT_URL, { as, pathParameters: { sessionId }, body });

describe('The host’s start link', () => {
  const hostLinkOf = (as: TestCaller, sessionId: string) => call(getHostLink, HOST_LINK, { as, pathParameters: { sessionId } });

  it('is fetched fresh from Zoom for the session’s tutor on every call, and never stored', async () => {
    const p = parties();
    const m = await withMeeting(p);
    const page = await call(getSession, GET_SESSION, { as: p.tutor, pathParameters: { sessionId: m.id } });
    expect(page.body).toMatchObject({ id: m.id, meetingUrl: m.joinUrl, meetingId: m.meetingId, hostsMeeting: true });
    expect(JSON.stringify(page.body)).not.toContain('zak=');

    const before = Date.now();
    const first = await hostLinkOf(p.tutor, m.id);
    const second = await hostLinkOf(p.tutor, m.id);
    expect(first.status).toBe(200);
    expect(first.body.url).toMatch(new RegExp(`^https://zoom\\.us/s/${m.meetingId}\\?zak=`));
    expect(second.body.url).not.toBe(first.body.url);
    expect(Date.parse(first.body.expiresAt) - before).toBeGreaterThanOrEqual(2 * 3600_000 - 1000);
    expect(Date.parse(first.body.expiresAt) - Date.now()).toBeLessThanOrEqual(2 * 3600_000);
    const asStored = JSON.stringify([await loadSession(m.id), await getMeetingRecord(m.id)]);
    expect(asStored).not.toContain('zak=');
  });

  it('is 403 for the student (and an admin), 404 for anyone else, and the others’ pages do not mention it', async () => {
    const p = parties();
    const m = await withMeeting(p);
    expect((await hostLinkOf(p.student, m.id)).status).toBe(403);
    expect((await hostLinkOf(p.admin, m.id)).status).toBe(403);
    expect((await hostLinkOf(p.stranger, m.id)).status).toBe(404);
    expect((await hostLinkOf(p.otherTutor, m.id)).status).toBe(404);
    for (const who of [p.student, p.admin, caller(`${p.admin.sub}-tutor`, 'admin', 'tutor')]) {
      const res = await call(getSession, GET_SESSION, { as: who, pathParameters: { sessionId: m.id } });
      expect(res.status).toBe(200);
      expect(res.body.meetingUrl).toBe(m.joinUrl);
      expect(res.body.hostsMeeting).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain('zak=');
    }
  });

  it('is in no list view, for anyone', async () => {
    const p = parties();
    const m = await withMeeting(p);
    const bodies: unknown[] = [];
    for (const view of STUDENT_VIEWS) bodies.push((await call(listMySessions, 'GET /me/sessions', { as: p.student, query: { view } })).body);
    for (const view of TUTOR_VIEWS) bodies.push((await call(listTutorSessions, 'GET /tutor/sessions', { as: p.tutor, query: { view } })).body);
    bodies.push((await call(listAdminSessions, 'GET /admin/sessions', { as: p.admin, query: { status: 'SCHEDULED', limit: '100' } })).body);
    const all = JSON.stringify(bodies);
    expect(all).toContain(m.joinUrl); // the session is listed…
    expect(all).not.toContain('zak='); // …without any host link
  });

  it('is 409 NO_ZOOM_MEETING once the tutor replaced the Zoom link with their own', async () => {
    const p = parties();
    const m = await withMeeting(p);
    expect((await setUrl(p.tutor, m.id, { meetingUrl: 'https://meet.example.com/abc-defg' })).status).toBe(200);
    const page = await call(getSession, GET_SESSION, { as: p.tutor, pathParameters: { sessionId: m.id } });
    expect(page.body.meetingUrl).toBe('https://meet.example.com/abc-defg');
    expect(page.body.hostsMeeting).toBeUndefined();
    const res = await hostLinkOf(p.tutor, m.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NO_ZOOM_MEETING');
  });
});

describe('PUT /sessions/{id}/meeting-url', () => {
  it('lets the session’s tutor set an https link, which the student then sees', async () => {
    const p = parties();
    const s = await givenSession(p.student.sub, p.tutor.sub);
    const res = await setUrl(p.tutor, s.id, { meetingUrl: '  https://Meet.Example.com/room?pwd=x  ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: s.id, meetingUrl: 'https://meet.example.com/room?pwd=x' });
    expect(res.body.version).toBeUndefined();
    const page = await call(getSession, GET_SESSION, { as: p.student, pathParameters: { sessionId: s.id } });
    expect(page.body.meetingUrl).toBe('https://meet.example.com/room?pwd=x');
    // Setting the same link again changes nothing.
    const version = (await loadSession(s.id))!.version;
    expect((await setUrl(p.tutor, s.id, { meetingUrl: 'https://meet.example.com/room?pwd=x' })).status).toBe(200);
    expect((await loadSession(s.id))!.version).toBe(version);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: dressed as https', 'javascript://https://zoom.us/%0Aalert(1)'],
    ['http:', 'http://zoom.us/j/123'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['not a URL', 'my zoom room'],
    ['a relative path', '/j/123'],
    ['an IP address', 'https://10.0.0.1/room'],
    ['credentials', 'https://user:secret@zoom.us/j/1'],
    ['an over-long URL', `https://zoom.us/j/${'1'.repeat(2100)}`],
    ['an empty string', ''],
    ['a number', 42],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_what, meetingUrl) => {
    const p = parties();
    const s = await givenSession(p.student.sub, p.tutor.sub);
    const res = await setUrl(p.tutor, s.id, { meetingUrl });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details[0].path).toBe('meetingUrl');
    expect((await loadSession(s.id))!.meetingUrl).toBeNull();
  });

  it('refuses unknown fields and a missing body', async () => {
    const p = parties();
    const s = await givenSession(p.student.sub, p.tutor.sub);
    expect((await setUrl(p.tutor, s.id, { meetingUrl: 'https://meet.example.com/x', startUrl: 'https://x.example.com' })).status).toBe(400);
    expect((await setUrl(p.tutor, s.id, undefined)).status).toBe(400);
  });

  it('is 403 for the student and for an admin, 404 for anyone else', async () => {
    const p = parties();
    const s = await givenSession(p.student.sub, p.tutor.sub);
    const body = { meetingUrl: 'https://meet.example.com/x' };
    expect((await setUrl(p.student, s.id, body)).status).toBe(403);
    expect((await setUrl(p.admin, s.id, body)).status).toBe(403);
    expect((await setUrl(p.stranger, s.id, body)).status).toBe(404);
    expect((await setUrl(p.otherTutor, s.id, body)).status).toBe(404);
    expect((await setUrl(p.tutor, '01JD0000000000000000000000', body)).status).toBe(404);
    expect((await loadSession(s.id))!.meetingUrl).toBeNull();
  });

  it('is 409 unless the session is SCHEDULED or IN_PROGRESS', async () => {
    const p = parties();
    const body = { meetingUrl: 'https://meet.example.com/x' };
    for (const status of ['PENDING_MENTOR_REVIEW', 'REJECTED', 'CANCELLED', 'COMPLETED'] as const) {
      const s = await givenSession(p.student.sub, p.tutor.sub, { status });
      const res = await setUrl(p.tutor, s.id, body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('INVALID_STATE');
    }
    const live = await givenSession(p.student.sub, p.tutor.sub, { status: 'IN_PROGRESS' });
    expect((await setUrl(p.tutor, live.id, body)).status).toBe(200);
  });
});
