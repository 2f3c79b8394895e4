/**
 * Zoom on the local stack: the tutor's host link is fetched fresh from Zoom on every call and
 * reaches nobody else; when Zoom fails to create a paid session's meeting (the emulator fails
 * it for this session alone), the session is still PAID, with no meeting URL; the tutor is
 * asked for one and can set it. The e2e stack compresses retry intervals, so the meeting
 * step's retries run out in a moment.
 */
import { bookAndPay, checkout, failZoomMeetingsOf, useE2eUsers } from '../support/e2e';
import { slotIn, until, useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'zoom');

describe('The tutor’s host link', () => {
  it('is a fresh Zoom start link on every call, for the tutor only; the student gets 403, anyone else 404', async () => {
    const { session } = await bookAndPay(stack, u.bola, { tutorId: u.ada, scheduledAt: slotIn(62, 11), title: 'Host link' });
    expect((await stack.api('GET', `/sessions/${session.id}`, { as: u.ada })).body.hostsMeeting).toBe(true);
    const first = await stack.api('GET', `/sessions/${session.id}/host-link`, { as: u.ada });
    const second = await stack.api('GET', `/sessions/${session.id}/host-link`, { as: u.ada });
    expect(first.status).toBe(200);
    expect(first.body.url).toMatch(/^https:\/\/zoom\.us\/s\/\d+\?zak=/);
    expect(second.body.url).not.toBe(first.body.url);
    expect(Date.parse(first.body.expiresAt)).toBeGreaterThan(Date.now() + 110 * 60_000);

    expect((await stack.api('GET', `/sessions/${session.id}/host-link`, { as: u.bola })).status).toBe(403);
    expect((await stack.api('GET', `/sessions/${session.id}/host-link`, { as: u.chidi })).status).toBe(404);
    expect((await stack.api('GET', `/sessions/${session.id}/host-link`, { as: u.tunde })).status).toBe(404);
    const asStudent = await stack.api('GET', `/sessions/${session.id}`, { as: u.bola });
    expect(JSON.stringify(asStudent.body)).not.toMatch(/zak=|hostsMeeting/);
  }, 60_000);
});

describe('Given Zoom is down', () => {
  it('a paid session is PAID without a meeting URL, the tutor is asked for one and sets it', async () => {
    const created = await stack.api('POST', '/sessions', {
      as: u.bola,
      body: { tutorId: u.ada, scheduledAt: slotIn(60, 9), durationMinutes: 60, title: 'No Zoom', bookingMode: 'REQUEST' },
    });
    const id = created.body.session.id;
    await failZoomMeetingsOf(stack, id);
    await stack.api('POST', `/sessions/${id}/approve`, { as: u.ada });
    const pay = await stack.api('POST', `/sessions/${id}/payment`, { as: u.bola });
    await checkout(pay.body.authorizationUrl);

    const asked = await until(async () => {
      const inbox = await stack.api('GET', '/me/notifications?limit=50', { as: u.ada });
      return inbox.body.items.find((n: { event: string; sessionId: string }) => n.event === 'MEETING_LINK_NEEDED' && n.sessionId === id);
    });
    expect(asked.action.href).toBe(`/mentorship/session/${id}`);
    const s = (await stack.api('GET', `/sessions/${id}`, { as: u.bola })).body;
    expect(s).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID', meetingUrl: null });

    for (const meetingUrl of ['javascript:alert(1)', 'http://meet.example.com/abc', 'not a url']) {
      expect((await stack.api('PUT', `/sessions/${id}/meeting-url`, { as: u.ada, body: { meetingUrl } })).status).toBe(400);
    }
    expect((await stack.api('PUT', `/sessions/${id}/meeting-url`, { as: u.bola, body: { meetingUrl: 'https://meet.example.com/abc' } })).status).toBe(403);
    const set = await stack.api('PUT', `/sessions/${id}/meeting-url`, { as: u.ada, body: { meetingUrl: 'https://meet.example.com/abc' } });
    expect(set.status).toBe(200);
    expect((await stack.api('GET', `/sessions/${id}`, { as: u.bola })).body.meetingUrl).toBe('https://meet.example.com/abc');
  }, 60_000);
});
