/**
 * Rescheduling (policy in shared/domain/reschedule.ts), through the route as API Gateway
 * calls it, against DynamoDB Local, the local workflow (at real speed: its waits simply wait)
 * and the Zoom emulator: the held range moves in one transaction, a taken or out-of-hours
 * time changes nothing, the notice is kept, the other party is told, the Zoom meeting and
 * the workflow's current wait follow the new time (both through the table stream: the route
 * itself calls nothing but DynamoDB).
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveSession } from '../../functions/http/approveSession';
import { handler as rescheduleHandler } from '../../functions/http/rescheduleSession';
import { handler as getSessionHandler } from '../../functions/http/getSession';
import { getSession } from '../../shared/data/sessions';
import { listHeldBlocks } from '../../shared/data/holds';
import { listNotifications } from '../../shared/data/notifications';
import { WEEKDAYS } from '../../shared/domain/availability';
import { toZoomTime } from '../../shared/schemas/zoom';
import type { TutorProfile } from '../../shared/schemas/tutor';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor, tutorFixture } from '../support/fixtures';
import { handler as putMyTutorProfile } from '../../functions/http/putMyTutorProfile';
import { deleteItem } from '../../shared/data/ops';
import { sessionTermsKey } from '../../shared/data/keys';
import { markPaid, useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { timelineTargets, useTimeline } from '../support/timeline';
import { recordDdbCalls } from '../support/ddb-calls';
import { until } from '../support/local-stack';
import { syncSessionMeeting } from '../../shared/usecases/meetings';

const wf = useLocalWorkflow({ timeScale: 1 });
const timeline = useTimeline({ targets: timelineTargets() });
const streams = useTableStreams();
useTestTable();
usePaystackEmulator();
const zoom = useZoomEmulator();

const RESCHEDULE = 'POST /sessions/{sessionId}/reschedule';
const MIN = 60_000;

/** `days` from now at `hhmm` UTC. */
const on = (days: number, hhmm: string) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Date(`${d.toISOString().slice(0, 10)}T${hhmm}:00.000Z`).toISOString();
};
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MIN).toISOString();

let n = 0;
const parties = async (over: Partial<TutorProfile> = {}) => {
  n += 1;
  const tutorId = `rs-tutor-${n}`;
  await givenTutor(tutorId, over);
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`rs-student-${n}`, 'student'), other: caller(`rs-other-${n}`, 'student') };
};

const book = async (who: TestCaller, tutorId: string, scheduledAt: string, durationMinutes = 60) =>
  call(createSession, 'POST /sessions', { as: who, body: { tutorId, scheduledAt, durationMinutes, title: 'Move me', bookingMode: 'REQUEST' } });

const requested = async (who: TestCaller, tutorId: string, scheduledAt: string) => {
  const res = await book(who, tutorId, scheduledAt);
  expect(res.status).toBe(201);
  return res.body.session.id as string;
};

const reschedule = (as: TestCaller, sessionId: string, body: unknown) => call(rescheduleHandler, RESCHEDULE, { as, pathParameters: { sessionId }, body });

const held = async (tutorId: string, from: string, to: string) => [...(await listHeldBlocks(tutorId, from, to))].sort().map((b) => b.slice(11, 16));

const inState = (id: string, state: string) => wf.service.runner.waitFor(wf.executionArn(id), (d) => d.currentState === state && d.waiting !== undefined, 10_000);

/** Approved and paid (as the webhook does it), its Zoom meeting made, its timeline scheduled. */
const paidSession = async (p: Awaited<ReturnType<typeof parties>>, scheduledAt: string) => {
  const id = await requested(p.student, p.tutorId, scheduledAt);
  await inState(id, 'AwaitDecision');
  expect((await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: p.tutor, pathParameters: { sessionId: id } })).status).toBe(200);
  await inState(id, 'AwaitPayment');
  await markPaid(id);
  expect((await wf.runToEnd(id)).status).toBe('SUCCEEDED');
  return id;
};

describe('Moving a session', () => {
  it('moves the held range in one go: the old time is bookable again, the new one taken', async () => {
    const { tutorId, student, other } = await parties();
    const id = await requested(student, tutorId, on(5, '10:00'));
    const res = await reschedule(student, id, { scheduledAt: on(5, '14:00') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, scheduledAt: on(5, '14:00'), status: 'PENDING_MENTOR_REVIEW' });
    expect(res.body.timelineTaskToken).toBeUndefined();
    expect(await held(tutorId, on(5, '00:00'), on(6, '00:00'))).toEqual(['14:00', '14:15', '14:30', '14:45']);
    expect((await book(other, tutorId, on(5, '14:30'))).status).toBe(409);
    expect((await book(other, tutorId, on(5, '10:00'))).status).toBe(201);
    // The dashboards follow (the index keys come from the session).
    const page = await call(getSessionHandler, 'GET /sessions/{sessionId}', { as: student, pathParameters: { sessionId: id } });
    expect(page.body.scheduledAt).toBe(on(5, '14:00'));
  });

  it('may overlap its own old range: shared blocks stay, only the difference moves (buffer included)', async () => {
    const { tutorId, tutor, student } = await parties({ bufferMinutes: 15 });
    const id = await requested(student, tutorId, on(5, '10:00'));
    expect(await held(tutorId, on(5, '00:00'), on(6, '00:00'))).toEqual(['10:00', '10:15', '10:30', '10:45', '11:00']);
    expect((await reschedule(tutor, id, { scheduledAt: on(5, '10:30') })).status).toBe(200);
    expect(await held(tutorId, on(5, '00:00'), on(6, '00:00'))).toEqual(['10:30', '10:45', '11:00', '11:15', '11:30']);
    expect((await reschedule(student, id, { scheduledAt: on(5, '10:15') })).status).toBe(200);
    expect(await held(tutorId, on(5, '00:00'), on(6, '00:00'))).toEqual(['10:15', '10:30', '10:45', '11:00', '11:15']);
  });

  it('to a taken time or out of the tutor’s hours is 409 SLOT_UNAVAILABLE and changes nothing', async () => {
    const day = new Date(on(5, '00:00'));
    const weekday = WEEKDAYS[(day.getUTCDay() + 6) % 7]!;
    const { tutorId, student, other } = await parties({ bufferMinutes: 15, availability: [{ day: weekday, start: '08:00', end: '18:00' }] });
    const id = await requested(student, tutorId, on(5, '10:00'));
    await requested(other, tutorId, on(5, '13:00'));
    await inState(id, 'AwaitDecision'); // its token stored: nothing else writes the session now
    const before = (await getSession(id))!;
    const blocks = await held(tutorId, on(5, '00:00'), on(6, '00:00'));
    for (const scheduledAt of [on(5, '12:00'), on(5, '13:30'), on(5, '14:00'), on(5, '17:30'), on(5, '07:00'), on(6, '10:00')]) {
      const res = await reschedule(student, id, { scheduledAt });
      expect([scheduledAt, res.status, res.body.error.code]).toEqual([scheduledAt, 409, 'SLOT_UNAVAILABLE']);
    }
    expect(await getSession(id)).toEqual(before);
    expect(await held(tutorId, on(5, '00:00'), on(6, '00:00'))).toEqual(blocks);
    expect((await reschedule(student, id, { scheduledAt: on(5, '11:45') })).status).toBe(200); // ends 12:45: the buffer meets 13:00
  });

  it('is refused within 12 hours of the current start (409), to a time within the tutor’s notice or off the grid (400)', async () => {
    const { tutorId, student } = await parties({ minimumNoticeMinutes: 120 });
    const soonAt = new Date(Math.ceil((Date.now() + 11 * 3_600_000) / (15 * MIN)) * 15 * MIN).toISOString();
    const soon = await requested(student, tutorId, soonAt);
    const late = await reschedule(student, soon, { scheduledAt: on(5, '10:00') });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('12 hours') });
    const id = await requested(student, tutorId, on(5, '10:00'));
    const inAnHour = new Date(Math.ceil((Date.now() + 60 * MIN) / (15 * MIN)) * 15 * MIN).toISOString();
    for (const scheduledAt of [inAnHour, plus(on(5, '12:00'), 5), '2020-01-01T10:00:00Z', 'tomorrow']) {
      const res = await reschedule(student, id, { scheduledAt });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('scheduledAt');
    }
    expect((await reschedule(student, id, {})).status).toBe(400);
    expect((await getSession(id))!.scheduledAt).toBe(on(5, '10:00'));
  });

  it('is for the student and the tutor only: 403 for an admin, 404 for anyone else; to the same time it changes nothing', async () => {
    const { tutorId, student, other } = await parties();
    const id = await requested(student, tutorId, on(5, '10:00'));
    const body = { scheduledAt: on(5, '12:00') };
    expect((await reschedule(caller('rs-admin', 'admin'), id, body)).status).toBe(403);
    expect((await reschedule(caller('rs-admin-student', 'admin', 'student'), id, body)).status).toBe(403);
    expect((await reschedule(other, id, body)).status).toBe(404);
    expect((await reschedule(caller('rs-other-tutor', 'tutor'), id, body)).status).toBe(404);
    await inState(id, 'AwaitDecision'); // its token stored: nothing else writes the session now
    const version = (await getSession(id))!.version;
    expect((await reschedule(student, id, { scheduledAt: on(5, '10:00') })).status).toBe(200);
    expect((await getSession(id))!.version).toBe(version);
    expect((await listNotifications(tutorId, undefined, 50)).items.map((x) => x.event)).not.toContain('SESSION_RESCHEDULED');
  });

  it('tells the other party, each time', async () => {
    const { tutorId, tutor, student } = await parties();
    const id = await requested(student, tutorId, on(5, '10:00'));
    expect((await reschedule(student, id, { scheduledAt: on(5, '12:00') })).status).toBe(200);
    const toTutor = (await listNotifications(tutorId, undefined, 50)).items.filter((x) => x.event === 'SESSION_RESCHEDULED');
    expect(toTutor).toHaveLength(1);
    expect(toTutor[0]).toMatchObject({ title: 'Session rescheduled', sessionId: id, action: { href: `/mentorship/session/${id}` } });
    expect(toTutor[0]!.body).toMatch(/moved from .* to /);
    expect((await reschedule(tutor, id, { scheduledAt: on(5, '15:00') })).status).toBe(200);
    expect((await listNotifications(student.sub, undefined, 50)).items.filter((x) => x.event === 'SESSION_RESCHEDULED')).toHaveLength(1);
    expect((await reschedule(student, id, { scheduledAt: on(5, '12:00') })).status).toBe(200);
    expect((await listNotifications(tutorId, undefined, 50)).items.filter((x) => x.event === 'SESSION_RESCHEDULED')).toHaveLength(2);
  });
});

describe('The tutor’s terms a session keeps', () => {
  /** The tutor's own change of their profile (PUT /tutors/me), hours from 12:00 to 20:00 instead. */
  const changeHours = async (p: Awaited<ReturnType<typeof parties>>) => {
    const { id: _i, ratingAverage: _a, ratingCount: _c, createdAt: _ca, updatedAt: _u, ...input } = tutorFixture(p.tutorId);
    const res = await call(putMyTutorProfile, 'PUT /tutors/me', { as: p.tutor, body: { ...input, availability: WEEKDAYS.map((day) => ({ day, start: '12:00', end: '20:00' })) } });
    expect(res.status).toBe(200);
  };
  const morningToSix = { availability: WEEKDAYS.map((day) => ({ day, start: '08:00', end: '18:00' })) };

  it('are checked, not read: one Query and one transaction, whatever the move', async () => {
    const p = await parties(morningToSix);
    const id = await requested(p.student, p.tutorId, on(5, '10:00'));
    await inState(id, 'AwaitDecision'); // its token stored: no workflow write races the counted calls
    for (const at of ['11:00', '15:00']) {
      const { result, calls, remote } = await recordDdbCalls(() => reschedule(p.student, id, { scheduledAt: on(5, at) }));
      expect(result.status).toBe(200);
      expect(calls).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
      expect(remote).toEqual([]);
    }
  });

  it('changed by the tutor after the booking: a move into the old hours is refused, into the new ones taken, and the new terms kept', async () => {
    const p = await parties(morningToSix);
    const a = await requested(p.student, p.tutorId, on(5, '14:00'));
    const b = await requested(p.student, p.tutorId, on(6, '14:00'));
    // Their tokens stored: no workflow write races the counted calls (a stale retry would repeat them).
    await Promise.all([a, b].map((id) => inState(id, 'AwaitDecision')));
    await changeHours(p);

    // Inside the hours the session was booked under, outside the tutor's hours now: the
    // transaction's version check fails, the profile is read and refuses the time.
    const old = await recordDdbCalls(() => reschedule(p.student, a, { scheduledAt: on(5, '09:00') }));
    expect([old.result.status, old.result.body.error?.code]).toEqual([409, 'SLOT_UNAVAILABLE']);
    expect(old.calls).toEqual(['QueryCommand', 'TransactWriteItemsCommand', 'QueryCommand', 'GetItemCommand']);
    expect((await getSession(a))!.scheduledAt).toBe(on(5, '14:00'));

    // Outside the old hours, inside the new: the kept terms refuse it, the profile (changed) takes it.
    const fresh = await recordDdbCalls(() => reschedule(p.student, a, { scheduledAt: on(5, '19:00') }));
    expect(fresh.result.status).toBe(200);
    expect(fresh.calls).toEqual(['QueryCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    expect(await held(p.tutorId, on(5, '00:00'), on(6, '00:00'))).toEqual(['19:00', '19:15', '19:30', '19:45']);

    // Inside both: the check fails, the move is decided again on the profile and its terms written with it.
    const both = await recordDdbCalls(() => reschedule(p.tutor, b, { scheduledAt: on(6, '15:00') }));
    expect(both.result.status).toBe(200);
    expect(both.calls).toEqual(['QueryCommand', 'TransactWriteItemsCommand', 'QueryCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    // The next moves go by the new terms: checked, not read (a refusal reads the profile once, to be sure).
    const next = await recordDdbCalls(() => reschedule(p.tutor, b, { scheduledAt: on(6, '09:00') }));
    expect([next.result.status, next.result.body.error?.code]).toEqual([409, 'SLOT_UNAVAILABLE']);
    expect(next.calls).toEqual(['QueryCommand', 'GetItemCommand']);
    const ok = await recordDdbCalls(() => reschedule(p.tutor, b, { scheduledAt: on(6, '19:00') }));
    expect(ok.result.status).toBe(200);
    expect(ok.calls).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
  });

  it('a session booked before sessions kept terms: the profile is read, and the terms written with the move', async () => {
    const p = await parties(morningToSix);
    const id = await requested(p.student, p.tutorId, on(5, '10:00'));
    await inState(id, 'AwaitDecision'); // its token stored: no workflow write races the counted calls
    await deleteItem({ Key: sessionTermsKey(id) });
    const first = await recordDdbCalls(() => reschedule(p.student, id, { scheduledAt: on(5, '11:00') }));
    expect(first.result.status).toBe(200);
    expect(first.calls).toEqual(['QueryCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    const second = await recordDdbCalls(() => reschedule(p.student, id, { scheduledAt: on(5, '12:00') }));
    expect(second.result.status).toBe(200);
    expect(second.calls).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
  });
});

describe('Moving a request waiting for the tutor', () => {
  it('brings its approval deadline forward to the new start, and its EXPIRE schedule with it; the workflow’s wait goes on with its token', async () => {
    const { tutorId, tutor, student } = await parties();
    const start = new Date(Math.ceil((Date.now() + 100 * 3_600_000) / (15 * MIN)) * 15 * MIN).toISOString(); // deadline: now + 72 h
    const id = await requested(student, tutorId, start);
    await inState(id, 'AwaitDecision');
    const first = (await getSession(id))!;
    const sooner = new Date(Math.ceil((Date.now() + 30 * 3_600_000) / (15 * MIN)) * 15 * MIN).toISOString();
    const res = await reschedule(student, id, { scheduledAt: sooner });
    expect(res.status).toBe(200);
    expect(res.body.approvalDeadline).toBe(sooner);
    // The move's schedules are put by the table stream, after the request.
    await streams.idle();
    expect(timeline.schedulesOf(id).find((x) => x.step === 'EXPIRE')?.at).toBe(sooner);
    await wf.service.runner.whenIdle(5_000);
    // The decision wait was not ended: the same token, the execution entered no state since.
    expect((await getSession(id))!.approvalTaskToken).toBe(first.approvalTaskToken);
    const history = await wf.service.runner.getExecutionHistory(wf.executionArn(id), { maxResults: 1000 });
    const entered = history.events.flatMap((e) => (e.stateEnteredEventDetails ? [(e.stateEnteredEventDetails as { name: string }).name] : []));
    expect(entered).toEqual(['AwaitDecision']);
    // The tutor is told of the request once, and then of the move.
    const events = (await listNotifications(tutorId, undefined, 50)).items.map((x) => x.event);
    expect(events.filter((e) => e === 'REQUEST_RECEIVED')).toHaveLength(1);
    expect(events).toContain('SESSION_RESCHEDULED');
    expect((await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
    await inState(id, 'AwaitPayment');
  });

  it('expires at its new deadline: the moved EXPIRE schedule ends the wait', async () => {
    const { tutorId, student } = await parties();
    const start = new Date(Math.ceil((Date.now() + 100 * 3_600_000) / (15 * MIN)) * 15 * MIN).toISOString();
    const id = await requested(student, tutorId, start);
    await inState(id, 'AwaitDecision');
    const sooner = new Date(Math.ceil((Date.now() + 30 * 3_600_000) / (15 * MIN)) * 15 * MIN).toISOString();
    expect((await reschedule(student, id, { scheduledAt: sooner })).status).toBe(200);
    await streams.idle();
    const expiry = timeline.schedulesOf(id).find((x) => x.step === 'EXPIRE')!;
    expect(expiry.input).toMatchObject({ step: 'EXPIRE', at: sooner });
    expect((await timeline.fire(expiry.name)).outcome).toBe('SUCCEEDED');
    expect(await wf.runToEnd(id)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed', stateTransitions: 2 });
    expect((await getSession(id))!).toMatchObject({ status: 'REJECTED', approvalNotes: expect.stringMatching(/^Expired/) });
  });
});

describe('Moving an approved booking waiting for payment', () => {
  it('brings its payment deadline forward to the new start, and the workflow waits again until then', async () => {
    const { tutorId, tutor, student } = await parties();
    const id = await requested(student, tutorId, on(5, '10:00'));
    await inState(id, 'AwaitDecision');
    expect((await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
    await inState(id, 'AwaitPayment');
    const first = (await getSession(id))!;
    expect(Date.parse(first.paymentDeadline!) - Date.parse(first.approvedAt!)).toBe(24 * 3_600_000);
    const sooner = new Date(Math.ceil((Date.now() + 20 * 3_600_000) / (15 * MIN)) * 15 * MIN).toISOString();
    const res = await reschedule(student, id, { scheduledAt: sooner });
    expect(res.body).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING', paymentDeadline: sooner });
    // The move's callback is sent by the table stream, after the request.
    await streams.idle();
    await wf.service.runner.waitFor(wf.executionArn(id), (d) => d.currentState === 'AwaitPayment' && d.waiting === 'CALLBACK', 10_000);
    await wf.service.runner.whenIdle(5_000);
    const second = (await getSession(id))!;
    expect(second.paymentTaskToken).toEqual(expect.any(String));
    expect(second.paymentTaskToken).not.toBe(first.paymentTaskToken);
    // A later move leaves the payment deadline (and the wait) as they are.
    expect((await reschedule(student, id, { scheduledAt: on(6, '10:00') })).body.paymentDeadline).toBe(sooner);
    await streams.idle();
    await wf.service.runner.whenIdle(5_000);
    expect((await getSession(id))!.paymentTaskToken).toBe(second.paymentTaskToken);
  });
});

describe('Moving a paid session', () => {
  /** The requests Zoom got to change the meeting (moves and deletes). */
  const changesOf = (meetingId: string) => zoom.emulator.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(`/meetings/${meetingId}`));

  it('moves its Zoom meeting and its timeline’s schedules to the new time', async () => {
    const p = await parties();
    const id = await paidSession(p, on(6, '10:00'));
    const paid = (await getSession(id))!;
    expect(paid.meetingId).toEqual(expect.any(String));
    expect(timeline.schedulesOf(id).find((x) => x.step === 'REMIND_DAY')?.at).toBe(plus(on(6, '10:00'), -24 * 60));
    expect(zoom.emulator.meetings.get(paid.meetingId!)!.startTime).toBe(toZoomTime(on(6, '10:00')));

    // The route writes, and calls no one but DynamoDB: the table stream moves the meeting.
    const { result: res, calls, remote } = await recordDdbCalls(() => reschedule(p.tutor, id, { scheduledAt: on(4, '16:00') }));
    expect(res.status).toBe(200);
    expect(remote).toEqual([]);
    // The session with the tutor's terms it keeps (the hours the new time must fit), one transaction.
    expect(calls).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    expect(res.body).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID', scheduledAt: on(4, '16:00') });
    expect((await listNotifications(p.student.sub, undefined, 50)).items.map((x) => x.event)).toContain('SESSION_RESCHEDULED');

    // The schedules are moved by the table stream, after the request.
    await streams.idle();
    expect(timeline.schedulesOf(id).map((x) => [x.step, x.at])).toEqual([
      ['REMIND_DAY', plus(on(4, '16:00'), -24 * 60)],
      ['REMIND', plus(on(4, '16:00'), -15)],
      ['START', on(4, '16:00')],
      ['COMPLETE', plus(on(4, '16:00'), 60)],
    ]);
    expect(zoom.emulator.meetings.get(paid.meetingId!)).toMatchObject({ startTime: toZoomTime(on(4, '16:00')), duration: 60 });
    expect(changesOf(paid.meetingId!).map((r) => [r.method, r.status])).toEqual([['PATCH', 204]]);
    // A record delivered again asks Zoom nothing more.
    await syncSessionMeeting(id);
    expect(changesOf(paid.meetingId!)).toHaveLength(1);
  });

  it('moved twice, its meeting ends at the last time, and a record handled again asks Zoom nothing', async () => {
    const p = await parties();
    const id = await paidSession(p, on(8, '10:00'));
    const meetingId = (await getSession(id))!.meetingId!;
    expect((await reschedule(p.student, id, { scheduledAt: on(8, '12:00') })).status).toBe(200);
    expect((await reschedule(p.student, id, { scheduledAt: on(8, '14:00') })).status).toBe(200);
    await streams.idle();
    expect(zoom.emulator.meetings.get(meetingId)!.startTime).toBe(toZoomTime(on(8, '14:00')));
    // Each sync reads the session as it is then: the first record handled again changes nothing.
    const asked = changesOf(meetingId).length;
    await syncSessionMeeting(id);
    expect(changesOf(meetingId)).toHaveLength(asked);
    expect(zoom.emulator.meetings.get(meetingId)!.startTime).toBe(toZoomTime(on(8, '14:00')));
  });

  it('stands when Zoom fails: the move is answered, and the stream moves the meeting once Zoom is back', async () => {
    const p = await parties();
    const id = await paidSession(p, on(7, '10:00'));
    const meetingId = (await getSession(id))!.meetingId!;
    zoom.faults.add('zoom');
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await reschedule(p.student, id, { scheduledAt: on(7, '12:00') });
      expect(res.status).toBe(200);
      // The consumer tried, Zoom failed: the record is retried.
      await until(async () => (changesOf(meetingId).some((r) => r.status >= 500) ? true : undefined), 10_000);
      expect(zoom.emulator.meetings.get(meetingId)!.startTime).toBe(toZoomTime(on(7, '10:00')));
    } finally {
      zoom.faults.delete('zoom');
      errors.mockRestore();
    }
    await streams.idle();
    expect((await getSession(id))!.scheduledAt).toBe(on(7, '12:00'));
    expect(zoom.emulator.meetings.get(meetingId)!.startTime).toBe(toZoomTime(on(7, '12:00')));
    expect(changesOf(meetingId).filter((r) => r.status < 300)).toHaveLength(1);
    expect(streams.streams.deadLetters).toEqual([]);
  });
});
