/**
 * The meeting after payment, through the real workflow: the deployed definition run by the
 * local runner (retry intervals compressed 20,000 times), the real task functions, DynamoDB Local, the
 * Paystack and Zoom emulators. Zoom up: the paid session gets its join URL. Zoom down: the
 * booking stands, the tutor is asked for a link and can set one.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveHandler } from '../../functions/http/approveSession';
import { handler as getSessionHandler } from '../../functions/http/getSession';
import { handler as setMeetingUrl } from '../../functions/http/setMeetingUrl';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { isMeetingOf } from '../../shared/usecases/meetings';
import { useTestTable } from '../support/table';
import { call, caller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { markPaid, useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { timelineTargets, useTimeline } from '../support/timeline';

// Real time for deadlines and the timeline (nothing here waits for them); Zoom's retries compressed.
const wf = useLocalWorkflow({ timeScale: 1, retryTimeScale: 20_000 });
useTimeline({ targets: timelineTargets() });
useTableStreams();
useTestTable();
usePaystackEmulator();
const faults = new Set<string>();
const zoom = useZoomEmulator(faults);

let n = 0;

/** A REQUEST booking two weeks ahead, approved. */
const approvedBooking = async () => {
  n += 1;
  const tutorId = `zm-tutor-${n}`;
  await givenTutor(tutorId);
  const student = caller(`zm-student-${n}`, 'student');
  const tutor = caller(tutorId, 'tutor');
  const start = new Date(Date.now() + 14 * 86_400_000);
  start.setUTCHours(10, 0, 0, 0);
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt: start.toISOString(), durationMinutes: 60, title: 'Interview practice', bookingMode: 'REQUEST' },
  });
  expect(res.status).toBe(201);
  const id = res.body.session.id as string;
  await wf.inState(id, 'AwaitDecision');
  expect((await call(approveHandler, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
  await wf.inState(id, 'AwaitPayment');
  return { id, student, tutor };
};

const entered = async (id: string) => {
  const history = await wf.service.runner.getExecutionHistory(wf.executionArn(id));
  return history.events.flatMap((e) => (e.stateEnteredEventDetails ? [(e.stateEnteredEventDetails as { name: string }).name] : []));
};

const events = async (userId: string) => (await listNotifications(userId, undefined, 50)).items.map((x) => x.event);

describe('Once a booking is paid', () => {
  it('gets a Zoom meeting participants may join before the host: the join URL on the session for both, the host link for the tutor only', async () => {
    const { id, student, tutor } = await approvedBooking();
    await markPaid(id);
    expect((await wf.runToEnd(id)).status).toBe('SUCCEEDED');

    const meetings = [...zoom.emulator.meetings.values()].filter(isMeetingOf(id));
    expect(meetings).toHaveLength(1);
    const [m] = meetings;
    expect(m).toMatchObject({ duration: 60, settings: expect.objectContaining({ auto_recording: 'cloud', join_before_host: true, jbh_time: 10, waiting_room: false }) });
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID', meetingUrl: m!.joinUrl, meetingId: m!.id });

    const asStudent = await call(getSessionHandler, 'GET /sessions/{sessionId}', { as: student, pathParameters: { sessionId: id } });
    expect(asStudent.body.meetingUrl).toBe(m!.joinUrl);
    expect(JSON.stringify(asStudent.body)).not.toContain('zak=');
    expect(asStudent.body.hostsMeeting).toBeUndefined();
    const asTutor = await call(getSessionHandler, 'GET /sessions/{sessionId}', { as: tutor, pathParameters: { sessionId: id } });
    expect(asTutor.body.hostsMeeting).toBe(true);

    expect(await entered(id)).not.toContain('MeetingFallback');
    expect(await events(student.sub)).toContain('BOOKING_CONFIRMED');
    expect(await events(tutor.sub)).not.toContain('MEETING_LINK_NEEDED');
  });

  it('with Zoom down: stays PAID without a link, the tutor is asked for one and can set it', async () => {
    const { id, student, tutor } = await approvedBooking();
    faults.add('zoom');
    try {
      await markPaid(id);
      expect((await wf.runToEnd(id)).status).toBe('SUCCEEDED');
    } finally {
      faults.delete('zoom');
    }

    expect((await entered(id)).slice(-2)).toEqual(['ConfirmBooking', 'MeetingFallback']);
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID', meetingUrl: null });
    expect([...zoom.emulator.meetings.values()].filter(isMeetingOf(id))).toHaveLength(0);
    expect(await events(tutor.sub)).toEqual(expect.arrayContaining(['MEETING_LINK_NEEDED', 'PAYMENT_RECEIVED']));
    expect(await events(student.sub)).toContain('BOOKING_CONFIRMED');

    const set = await call(setMeetingUrl, 'PUT /sessions/{sessionId}/meeting-url', {
      as: tutor,
      pathParameters: { sessionId: id },
      body: { meetingUrl: 'https://meet.example.com/ada-room' },
    });
    expect(set.status).toBe(200);
    const page = await call(getSessionHandler, 'GET /sessions/{sessionId}', { as: student, pathParameters: { sessionId: id } });
    expect(page.body).toMatchObject({ meetingUrl: 'https://meet.example.com/ada-room', paymentStatus: 'PAID' });
    expect(page.body.hostsMeeting).toBeUndefined();
  });
});
