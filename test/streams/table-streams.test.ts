/**
 * The table stream's consumers, fed real DynamoDB Local stream records by the local poller
 * (infra/local/aws/streams/poller.ts): a new booking starts its workflow once, a stored notification is
 * pushed to the user's open connections, a failing record is retried and then dead-lettered,
 * and records no consumer's filter names invoke nothing.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { ulid } from 'ulid';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as startWorkflow } from '../../functions/streams/startWorkflow';
import { getConnection, listUserConnections, putConnection } from '../../shared/data/connections';
import { getSession, transitionSession } from '../../shared/data/sessions';
import { retryOnStale } from '../../shared/usecases/stale-retry';
import { notify, type NotifyRequest } from '../../shared/usecases/notify';
import type { StreamConsumer } from '../../shared/streams/consumers';
import { call, caller } from '../support/http';
import { givenTutor, slot } from '../support/fixtures';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { useLocalWorkflow } from '../support/workflow';
import { notificationsOf, useLocalWebSocket } from '../support/ws';
import { timelineTargets, useTimeline } from '../support/timeline';

/** Every record each consumer was invoked with, and the consumers told to fail. */
const invoked: { consumer: StreamConsumer; record: DynamoDBRecord }[] = [];
const failing = new Set<StreamConsumer>();

const wf = useLocalWorkflow({ timeScale: 1 });
// The timeline's schedules, kept by the confirmation and the stream: on the local scheduler.
useTimeline({ targets: timelineTargets() });
const ws = useLocalWebSocket();
const streams = useTableStreams({
  retryAttempts: 2,
  wrap: () => (consumer, handler) => async (event, context) => {
    for (const record of event.Records) invoked.push({ consumer, record });
    if (failing.has(consumer)) throw new Error(`Injected failure of ${consumer}`);
    return handler(event, context);
  },
});
useTestTable();

let n = 0;
const keysOf = (r: DynamoDBRecord) => `${r.dynamodb?.Keys?.pk?.S} ${r.dynamodb?.Keys?.sk?.S}`;
const invocationsFor = (consumer: StreamConsumer, pk: string) => invoked.filter((i) => i.consumer === consumer && i.record.dynamodb?.Keys?.pk?.S === pk);

const book = async () => {
  n += 1;
  const tutorId = `st-tutor-${n}`;
  await givenTutor(tutorId);
  const res = await call(createSession, 'POST /sessions', {
    as: caller(`st-student-${n}`, 'student'),
    body: { tutorId, scheduledAt: slot(10), durationMinutes: 60, title: 'Streams', bookingMode: 'REQUEST' },
  });
  expect(res.status).toBe(201);
  return res.body.session.id as string;
};

const sessionOf = (studentId: string): NotifyRequest['session'] => ({
  id: ulid(),
  studentId,
  tutorId: `st-tutor-of-${studentId}`,
  student: { id: studentId, displayName: 'Bola' },
  tutor: { id: `st-tutor-of-${studentId}`, displayName: 'Ada' },
  title: 'Generics',
  scheduledAt: '2026-12-01T10:00:00.000Z',
  price: { amount: 500_000, currency: 'NGN' },
  approvalNotes: null,
});

afterEach(() => failing.clear());

describe('startWorkflow', () => {
  it('starts exactly one execution for a new booking, even when its record is delivered twice', async () => {
    const id = await book();
    await wf.service.runner.waitFor(wf.executionArn(id), (d) => d.status === 'RUNNING', 5_000);
    await streams.idle();
    const [first, ...more] = invocationsFor('startWorkflow', `SESSION#${id}`);
    expect(more).toEqual([]);
    expect(first!.record).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', eventSourceARN: streams.streams.streamArn });

    // Lambda delivers at least once: the same record again (a retried batch) changes nothing.
    await expect(startWorkflow({ Records: [first!.record] }, {} as never)).resolves.toEqual({ batchItemFailures: [] });
    const { executions } = await wf.service.runner.listExecutions();
    expect(executions.filter((e) => e.name === id)).toHaveLength(1);
  });

  it('retries a booking whose start fails, then sends it to the DLQ (locally: logged), and goes on with the next', async () => {
    const arn = process.env.STATE_MACHINE_ARN!;
    // Step Functions refuses every start (StateMachineDoesNotExist): the record is reported as failed.
    process.env.STATE_MACHINE_ARN = `${arn}-gone`;
    let id: string;
    try {
      id = await book();
      await streams.idle();
    } finally {
      process.env.STATE_MACHINE_ARN = arn;
    }
    expect(invocationsFor('startWorkflow', `SESSION#${id}`)).toHaveLength(1 + 2);
    const dead = streams.streams.deadLetters.filter((d) => keysOf(d.record) === `SESSION#${id} SESSION`);
    expect(dead).toEqual([expect.objectContaining({ consumer: 'startWorkflow', reason: expect.stringContaining('batch item failure') })]);
    await expect(wf.service.runner.describeExecution(wf.executionArn(id))).rejects.toThrow();

    const next = await book();
    await wf.service.runner.waitFor(wf.executionArn(next), (d) => d.status === 'RUNNING', 5_000);
  });
});

describe('pushNotifications', () => {
  it('pushes a stored notification to both open connections of the user, and deletes a gone one', async () => {
    const userId = `st-user-${(n += 1)}`;
    const [a, b] = [await ws.connect({ userId }), await ws.connect({ userId })];
    // A connection whose socket is long gone (its $disconnect never ran): the gateway answers 410.
    const gone = `gone-${n}`;
    await putConnection({ connectionId: gone, userId, connectedAt: new Date(Date.now() - 3_600_000).toISOString(), expiresAt: Math.floor(Date.now() / 1000) + 3600 });

    await notify({ event: 'REQUEST_APPROVED', session: sessionOf(userId), to: ['student'] });
    // The consumer has pushed once the stream is idle; the frames may still be on their way (a loaded machine).
    await streams.idle();
    await Promise.all([a, b].map((s) => s.waitFor((f) => f?.notification?.event === 'REQUEST_APPROVED')));
    expect(notificationsOf(a, 'REQUEST_APPROVED')).toHaveLength(1);
    expect(notificationsOf(b, 'REQUEST_APPROVED')).toHaveLength(1);
    expect(await getConnection(gone)).toBeUndefined();
    expect(await listUserConnections(userId)).toHaveLength(2);
  });

  it('retries a push that fails, then sends it to the DLQ (locally: logged)', async () => {
    const userId = `st-user-${(n += 1)}`;
    const socket = await ws.connect({ userId });
    failing.add('pushNotifications');
    await notify({ event: 'REQUEST_APPROVED', session: sessionOf(userId), to: ['student'] });
    await streams.idle();
    expect(invocationsFor('pushNotifications', `USER#${userId}`)).toHaveLength(1 + 2);
    expect(streams.streams.deadLetters.filter((d) => d.record.dynamodb?.Keys?.pk?.S === `USER#${userId}`)).toEqual([
      expect.objectContaining({ consumer: 'pushNotifications', reason: expect.stringContaining('Injected failure') }),
    ]);
    expect(notificationsOf(socket)).toEqual([]);
  });
});

describe('The filters', () => {
  it('invoke no consumer for a hold, a session update, an inbox counter or a dedupe marker', async () => {
    const id = await book();
    await streams.idle();
    // The booking's workflow may still be writing its task token: re-read on a lost race.
    await retryOnStale(async () => {
      const s = (await getSession(id))!;
      await transitionSession(s, { ...s, title: 'Renamed', updatedAt: new Date().toISOString() });
    }, 10);
    const userId = `st-user-${(n += 1)}`;
    await notify({ event: 'REQUEST_RECEIVED', session: sessionOf(userId), to: ['student'] });
    await streams.idle();

    const seen = invoked.map((i) => `${i.consumer} ${i.record.eventName} ${keysOf(i.record)}`);
    // The booking's one INSERT reached startWorkflow; nothing of its holds, counters or updates did.
    expect(seen.filter((s) => s.includes(`SESSION#${id} `))).toEqual([`startWorkflow INSERT SESSION#${id} SESSION`]);
    expect(seen.filter((s) => s.includes('HOLD#') || s.includes('STATS') || s.includes('OPEN_REQUESTS') || s.includes('NOTIFIED#') || s.includes('~UNREAD'))).toEqual([]);
    expect(seen.filter((s) => s.includes(`USER#${userId} `)).sort()).toEqual(
      ['emailNotifications', 'pushNotifications'].map((c) => expect.stringMatching(new RegExp(`^${c} INSERT USER#${userId} NOTIFICATION#[0-9A-Z]{26}$`))),
    );
    expect(invoked.every((i) => i.record.eventName === 'INSERT')).toBe(true);
  });
});
