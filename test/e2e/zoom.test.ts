/**
 * Zoom on the local stack: with LOCAL_FAULTS=zoom every Zoom call fails, and a paid session
 * still becomes PAID, with no meeting URL; the tutor is asked for one and can set it. Time
 * runs 2,000× so the meeting step's retries run out in a moment.
 */
import { checkout } from '../support/e2e';
import { slotIn, until, useLocalStack } from '../support/local-stack';

const stack = useLocalStack({ LOCAL_FAULTS: 'zoom', LOCAL_TIME_SCALE: '2000' });


describe('Given Zoom is down', () => {
  it('a paid session is PAID without a meeting URL, the tutor is asked for one and sets it', async () => {
    const created = await stack.api('POST', '/sessions', {
      as: 'student-bola',
      body: { tutorId: 'tutor-ada', scheduledAt: slotIn(60, 9), durationMinutes: 60, title: 'No Zoom', bookingMode: 'REQUEST' },
    });
    const id = created.body.session.id;
    await stack.api('POST', `/sessions/${id}/approve`, { as: 'tutor-ada' });
    const pay = await stack.api('POST', `/sessions/${id}/payment`, { as: 'student-bola' });
    await checkout(pay.body.authorizationUrl);

    const asked = await until(async () => {
      const inbox = await stack.api('GET', '/me/notifications?limit=50', { as: 'tutor-ada' });
      return inbox.body.items.find((n: { event: string; sessionId: string }) => n.event === 'MEETING_LINK_NEEDED' && n.sessionId === id);
    });
    expect(asked.action.href).toBe(`/mentorship/session/${id}`);
    const s = (await stack.api('GET', `/sessions/${id}`, { as: 'student-bola' })).body;
    expect(s).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID', meetingUrl: null });

    for (const meetingUrl of ['javascript:alert(1)', 'http://meet.example.com/abc', 'not a url']) {
      expect((await stack.api('PUT', `/sessions/${id}/meeting-url`, { as: 'tutor-ada', body: { meetingUrl } })).status).toBe(400);
    }
    expect((await stack.api('PUT', `/sessions/${id}/meeting-url`, { as: 'student-bola', body: { meetingUrl: 'https://meet.example.com/abc' } })).status).toBe(403);
    const set = await stack.api('PUT', `/sessions/${id}/meeting-url`, { as: 'tutor-ada', body: { meetingUrl: 'https://meet.example.com/abc' } });
    expect(set.status).toBe(200);
    expect((await stack.api('GET', `/sessions/${id}`, { as: 'student-bola' })).body.meetingUrl).toBe('https://meet.example.com/abc');
  }, 60_000);
});
