/** The local scheduler on the local stack's store (the table): what a restart of `npm start` keeps. */
import { CreateScheduleCommand, GetScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { useLocalScheduler } from '../../../../test/support/scheduler';
import { dynamoScheduleStore, startLocalScheduler } from '.';

const TARGET = 'arn:aws:lambda:local:000000000000:function:timeline';
const T0 = Date.parse('2030-01-01T10:00:00Z');
let clock = T0;
const events: unknown[] = [];

const local = useLocalScheduler({ store: 'table', timeScale: 60, now: () => clock, exportEnv: false, targets: { [TARGET]: async (e) => void events.push(e) } });

const schedule = (name: string, at: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  GroupName: 'timeline',
  ScheduleExpression: `at(${at})`,
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: { Arn: TARGET, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Input: JSON.stringify({ name }), RetryPolicy: { MaximumRetryAttempts: 0 } },
  ...extra,
});

beforeEach(() => {
  clock = T0;
  events.length = 0;
});

describe('the local scheduler across a restart', () => {
  it('keeps its schedules, their times and its dead letters', async () => {
    // Arrange
    await local.client.send(new CreateScheduleCommand(schedule('kept-1', '2030-01-01T12:00:00', { Description: 'kept' })));
    await local.client.send(
      new CreateScheduleCommand({
        ...schedule('kept-dead', '2030-01-01T11:00:00'),
        GroupName: 'default',
        Target: { Arn: 'arn:aws:lambda:local:000000000000:function:gone', RoleArn: 'arn:aws:iam::000000000000:role/x', RetryPolicy: { MaximumRetryAttempts: 0 } },
      }),
    );
    await local.fire('kept-dead', 'default');
    const before = local.list('kept-');

    // Act
    await local.restart();

    // Assess
    expect(local.list('kept-')).toEqual(before);
    expect(await local.client.send(new GetScheduleCommand({ Name: 'kept-1', GroupName: 'timeline' }))).toMatchObject({
      Description: 'kept',
      ScheduleExpression: 'at(2030-01-01T12:00:00)',
    });
    expect(await local.deadLetters()).toEqual([expect.objectContaining({ name: 'kept-dead', groupName: 'default', attempts: 1 })]);
    // Two hours ahead at ×60, armed before the restart: due two minutes after it was created, not after the restart.
    clock = T0 + 10 * 60_000;
    expect(await local.fireDue(T0 + 120_000)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'kept-1', outcome: 'SUCCEEDED' })]));
    expect(events).toContainEqual({ name: 'kept-1' });
  });

  it('runs at start a schedule that came due while it was stopped', async () => {
    // Arrange: armed an hour ago (by the scheduler's clock then) for half an hour ago, and nothing ran it since.
    const now = Date.now();
    const before = await startLocalScheduler({
      port: 0,
      timeScale: 1,
      store: dynamoScheduleStore(),
      timers: false,
      exportEnv: false,
      targets: {},
      now: () => now - 3600_000,
      log: () => undefined,
    });
    const at = new Date(now - 1800_000).toISOString().slice(0, 19);
    await before.scheduler.create('due-while-down', schedule('due-while-down', at));
    await before.stop();
    let ran!: (event: unknown) => void;
    const invoked = new Promise<unknown>((resolve) => (ran = resolve));

    // Act: a scheduler with timers, as `npm start` runs it.
    const after = await startLocalScheduler({
      port: 0,
      timeScale: 1,
      store: dynamoScheduleStore(),
      exportEnv: false,
      targets: { [TARGET]: async (e) => ran(e) },
      log: () => undefined,
    });

    // Assess
    try {
      expect(await invoked).toEqual({ name: 'due-while-down' });
    } finally {
      await after.stop();
    }
    expect(after.scheduler.list({ prefix: 'due-while-down' })).toEqual([]);
  });
});
