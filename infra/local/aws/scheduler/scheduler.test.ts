import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { useLocalScheduler } from '../../../../test/support/scheduler';
import { main } from '../../../../scripts/schedules';
import { fireLocalSchedule, listLocalSchedules } from './client';

const T0 = Date.parse('2030-01-01T10:00:00Z');
let clock = T0;
const TARGET = 'arn:aws:lambda:local:000000000000:function:timeline';
const FLAKY = 'arn:aws:lambda:local:000000000000:function:flaky';
const calls: { arn: string; event: unknown }[] = [];
let flakyFailures = 0;

const local = useLocalScheduler({
  timeScale: 60,
  now: () => clock,
  exportEnv: false,
  targets: {
    [TARGET]: async (event) => void calls.push({ arn: TARGET, event }),
    [FLAKY]: async (event) => {
      calls.push({ arn: FLAKY, event });
      if (flakyFailures-- > 0) throw new Error('The target is down');
    },
  },
});

const at = (iso: string) => `at(${iso.slice(0, 19)})`;
const schedule = (name: string, when: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  GroupName: 'timeline',
  ScheduleExpression: at(when),
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: { Arn: TARGET, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Input: JSON.stringify({ name }) },
  ...extra,
});

beforeEach(async () => {
  for (const s of local.scheduler.list()) await local.scheduler.delete(s.name, s.groupName);
  clock = T0;
  calls.length = 0;
  flakyFailures = 0;
});

describe('the local EventBridge Scheduler API (through @aws-sdk/client-scheduler)', () => {
  it('creates a schedule and answers GetSchedule with what was created', async () => {
    const out = await local.client.send(new CreateScheduleCommand(schedule('s1-get', '2030-01-01T11:00:00Z', { Description: 'a reminder' })));
    expect(out.ScheduleArn).toBe('arn:aws:scheduler:eu-west-1:000000000000:schedule/timeline/s1-get');
    const got = await local.client.send(new GetScheduleCommand({ Name: 's1-get', GroupName: 'timeline' }));
    expect(got).toMatchObject({
      Arn: out.ScheduleArn,
      Name: 's1-get',
      GroupName: 'timeline',
      ScheduleExpression: 'at(2030-01-01T11:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      ActionAfterCompletion: 'DELETE',
      Description: 'a reminder',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: TARGET, Input: '{"name":"s1-get"}' },
    });
    expect(got.CreationDate).toEqual(new Date(T0));
  });

  it('answers ConflictException to a create of a name that exists in the group', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('s2-conflict', '2030-01-01T11:00:00Z')));
    await expect(local.client.send(new CreateScheduleCommand(schedule('s2-conflict', '2030-01-01T12:00:00Z')))).rejects.toMatchObject({
      name: 'ConflictException',
      message: 'Schedule s2-conflict already exists.',
    });
    // The same name in another group is another schedule.
    await expect(local.client.send(new CreateScheduleCommand(schedule('s2-conflict', '2030-01-01T12:00:00Z', { GroupName: 'default' })))).resolves.toBeDefined();
  });

  it('updates a schedule: the whole schedule is replaced and its time moves', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('s3-update', '2030-01-01T11:00:00Z')));
    clock = T0 + 1000;
    await local.client.send(new UpdateScheduleCommand({ ...schedule('s3-update', '2030-01-01T12:00:00Z'), ActionAfterCompletion: 'NONE' }));
    const got = await local.client.send(new GetScheduleCommand({ Name: 's3-update', GroupName: 'timeline' }));
    expect(got).toMatchObject({ ScheduleExpression: 'at(2030-01-01T12:00:00)', ActionAfterCompletion: 'NONE', LastModificationDate: new Date(T0 + 1000) });
  });

  it('answers ResourceNotFoundException to an update, get or delete of a schedule that does not exist', async () => {
    await expect(local.client.send(new UpdateScheduleCommand(schedule('s4-missing', '2030-01-01T11:00:00Z')))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(local.client.send(new GetScheduleCommand({ Name: 's4-missing', GroupName: 'timeline' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(local.client.send(new DeleteScheduleCommand({ Name: 's4-missing', GroupName: 'timeline' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('deletes a schedule: it is gone and never runs', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('s5-delete', '2030-01-01T11:00:00Z')));
    await local.client.send(new DeleteScheduleCommand({ Name: 's5-delete', GroupName: 'timeline' }));
    await expect(local.client.send(new GetScheduleCommand({ Name: 's5-delete', GroupName: 'timeline' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await local.fireDue(Date.parse('2030-01-02T00:00:00Z'));
    expect(calls.filter((c) => (c.event as { name: string }).name === 's5-delete')).toEqual([]);
  });

  it('lists schedules by group and name prefix, a page at a time', async () => {
    for (const n of ['list-a-1', 'list-a-2', 'list-a-3', 'list-b-1']) await local.client.send(new CreateScheduleCommand(schedule(n, '2030-01-01T11:00:00Z')));
    const first = await local.client.send(new ListSchedulesCommand({ GroupName: 'timeline', NamePrefix: 'list-a-', MaxResults: 2 }));
    expect(first.Schedules?.map((s) => s.Name)).toEqual(['list-a-1', 'list-a-2']);
    expect(first.Schedules?.[0]).toMatchObject({ GroupName: 'timeline', State: 'ENABLED', Target: { Arn: TARGET } });
    const second = await local.client.send(new ListSchedulesCommand({ GroupName: 'timeline', NamePrefix: 'list-a-', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Schedules?.map((s) => s.Name)).toEqual(['list-a-3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('answers ValidationException to what AWS refuses: a bad name, a missing target, a rate() expression, a time in the past', async () => {
    const bad: CreateScheduleCommandInput[] = [
      schedule('bad name!', '2030-01-01T11:00:00Z'),
      { ...schedule('v-no-role', '2030-01-01T11:00:00Z'), Target: { Arn: TARGET } as never },
      { ...schedule('v-rate', '2030-01-01T11:00:00Z'), ScheduleExpression: 'rate(5 minutes)' },
      { ...schedule('v-flexible', '2030-01-01T11:00:00Z'), FlexibleTimeWindow: { Mode: 'FLEXIBLE' } },
      { ...schedule('v-zone', '2030-01-01T11:00:00Z'), ScheduleExpressionTimezone: 'Mars/Olympus' },
      { ...schedule('v-retry', '2030-01-01T11:00:00Z'), Target: { ...schedule('x', '2030-01-01T11:00:00Z').Target!, RetryPolicy: { MaximumRetryAttempts: 186 } } },
      schedule('v-past', '2029-12-31T10:00:00Z'),
    ];
    for (const input of bad) await expect(local.client.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ValidationException);
  });
});

describe('the local EventBridge Scheduler running schedules', () => {
  it('runs a schedule once, at its time divided by the time scale, with its input as the event', async () => {
    // Two hours ahead at ×60: two minutes.
    await local.client.send(new CreateScheduleCommand(schedule('run-once', '2030-01-01T12:00:00Z', { ActionAfterCompletion: 'NONE' })));
    expect(await local.fireDue(T0 + 119_000)).toEqual([]);
    expect(await local.fireDue(T0 + 120_000)).toEqual([{ name: 'run-once', groupName: 'timeline', attempt: 1, outcome: 'SUCCEEDED' }]);
    expect(calls).toEqual([{ arn: TARGET, event: { name: 'run-once' } }]);
    expect(await local.fireDue(T0 + 3600_000)).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(local.list('run-once')).toEqual([expect.objectContaining({ status: 'COMPLETED', attempts: 1 })]);
  });

  it('reads the at() time in ScheduleExpressionTimezone', async () => {
    // 12:00 in Lagos (UTC+1) is 11:00 UTC: an hour ahead, a minute at ×60.
    await local.client.send(new CreateScheduleCommand(schedule('run-zone', '2030-01-01T12:00:00', { ScheduleExpressionTimezone: 'Africa/Lagos' })));
    expect(local.list('run-zone')[0]).toMatchObject({ at: '2030-01-01T11:00:00.000Z', dueAt: new Date(T0 + 60_000).toISOString() });
  });

  it('deletes a schedule after its run when ActionAfterCompletion is DELETE', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('run-delete', '2030-01-01T11:00:00Z')));
    await local.fireDue(T0 + 60_000);
    expect(calls).toHaveLength(1);
    await expect(local.client.send(new GetScheduleCommand({ Name: 'run-delete', GroupName: 'timeline' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('runs a moved schedule at its new time only', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('run-moved', '2030-01-01T11:00:00Z')));
    await local.client.send(new UpdateScheduleCommand(schedule('run-moved', '2030-01-01T13:00:00Z')));
    expect(await local.fireDue(T0 + 60_000)).toEqual([]);
    expect(await local.fireDue(T0 + 180_000)).toMatchObject([{ name: 'run-moved', outcome: 'SUCCEEDED' }]);
  });

  it('does not run a DISABLED schedule', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('run-disabled', '2030-01-01T11:00:00Z', { State: 'DISABLED' })));
    expect(await local.fireDue(T0 + 3600_000)).toEqual([]);
  });

  it('retries a failing target per its RetryPolicy, then dead-letters the run (listed, and the schedule deleted as asked)', async () => {
    flakyFailures = Infinity;
    const target = {
      Arn: FLAKY,
      RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
      Input: '{"n":1}',
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:000000000000:dlq' },
    };
    await local.client.send(new CreateScheduleCommand({ ...schedule('run-dead', '2030-01-01T11:00:00Z'), Target: target }));
    const results = await local.fireDue(T0 + 3600_000);
    expect(results.map((r) => r.outcome)).toEqual(['RETRYING', 'RETRYING', 'DEAD_LETTERED']);
    expect(calls).toHaveLength(3);
    expect(await local.deadLetters()).toContainEqual(
      expect.objectContaining({
        name: 'run-dead',
        groupName: 'timeline',
        targetArn: FLAKY,
        deadLetterArn: target.DeadLetterConfig.Arn,
        attempts: 3,
        error: 'Error: The target is down',
        input: '{"n":1}',
      }),
    );
    await expect(local.client.send(new GetScheduleCommand({ Name: 'run-dead', GroupName: 'timeline' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('succeeds on a retry after a failure: no dead letter', async () => {
    flakyFailures = 1;
    await local.client.send(
      new CreateScheduleCommand({
        ...schedule('run-retry', '2030-01-01T11:00:00Z'),
        Target: { Arn: FLAKY, RoleArn: 'arn:aws:iam::000000000000:role/x', RetryPolicy: { MaximumRetryAttempts: 3 } },
      }),
    );
    // The retry waits 1 s (÷60 here): not due yet a moment after the first attempt.
    expect((await local.fireDue(T0 + 60_000)).map((r) => r.outcome)).toEqual(['RETRYING']);
    expect((await local.fireDue(T0 + 60_100)).map((r) => r.outcome)).toEqual(['SUCCEEDED']);
    expect((await local.deadLetters()).filter((l) => l.name === 'run-retry')).toEqual([]);
  });

  it('dead-letters a schedule whose target ARN names no local function', async () => {
    await local.client.send(
      new CreateScheduleCommand({
        ...schedule('run-nowhere', '2030-01-01T11:00:00Z'),
        Target: { Arn: 'arn:aws:lambda:local:000000000000:function:nope', RoleArn: 'arn:aws:iam::000000000000:role/x', RetryPolicy: { MaximumRetryAttempts: 0 } },
      }),
    );
    expect(await local.fireDue(T0 + 60_000)).toMatchObject([{ name: 'run-nowhere', outcome: 'DEAD_LETTERED', error: expect.stringContaining('No local function') }]);
  });

  it('fire(name) runs a schedule now, before its time', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('run-fire', '2030-01-05T11:00:00Z')));
    expect(await local.fire('run-fire')).toMatchObject({ outcome: 'SUCCEEDED' });
    expect(calls).toEqual([{ arn: TARGET, event: { name: 'run-fire' } }]);
  });
});

describe('the local control routes and `npm run schedules`', () => {
  it('lists a session’s schedules with where each run stands, and its dead letters', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('sess1-reminder', '2030-01-01T11:00:00Z')));
    await local.client.send(new CreateScheduleCommand(schedule('sess1-complete', '2030-01-01T12:00:00Z')));
    await local.client.send(new CreateScheduleCommand(schedule('sess2-reminder', '2030-01-01T11:00:00Z')));
    await local.client.send(
      new CreateScheduleCommand({
        ...schedule('sess1-dead', '2030-01-01T11:00:00Z'),
        Target: { Arn: FLAKY, RoleArn: 'arn:aws:iam::000000000000:role/x', RetryPolicy: { MaximumRetryAttempts: 0 } },
      }),
    );
    flakyFailures = 1;
    await fireLocalSchedule('sess1-dead', { endpoint: local.endpoint });

    const listing = await listLocalSchedules({ endpoint: local.endpoint, prefix: 'sess1-' });

    expect(listing.schedules.map((s) => s.name)).toEqual(['sess1-complete', 'sess1-reminder']);
    expect(listing.schedules[1]).toMatchObject({
      groupName: 'timeline',
      state: 'ENABLED',
      status: 'SCHEDULED',
      at: '2030-01-01T11:00:00.000Z',
      dueAt: new Date(T0 + 60_000).toISOString(),
      attempts: 0,
    });
    expect(listing.deadLetters).toEqual([expect.objectContaining({ name: 'sess1-dead', attempts: 1, error: 'Error: The target is down' })]);
  });

  it('runs a schedule now through POST /_local/schedules/{name}/fire', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('fire-http', '2030-02-01T11:00:00Z')));
    expect(await fireLocalSchedule('fire-http', { endpoint: local.endpoint, group: 'timeline' })).toMatchObject({ name: 'fire-http', outcome: 'SUCCEEDED' });
    expect(calls).toEqual([{ arn: TARGET, event: { name: 'fire-http' } }]);
    await expect(fireLocalSchedule('fire-http', { endpoint: local.endpoint })).rejects.toThrow('Schedule fire-http does not exist.');
  });

  it('prints the schedules of a session as a table', async () => {
    await local.client.send(new CreateScheduleCommand(schedule('cli-sess-reminder', '2030-01-01T11:00:00Z')));
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((s) => Boolean(out.push(String(s))));
    process.env.AWS_ENDPOINT_URL_SCHEDULER = local.endpoint;
    try {
      expect(await main(['cli-sess'])).toBe(0);
    } finally {
      write.mockRestore();
      delete process.env.AWS_ENDPOINT_URL_SCHEDULER;
    }
    expect(out.join('')).toMatch(/^GROUP +NAME +STATE +STATUS +AT .*\ntimeline +cli-sess-reminder +ENABLED +SCHEDULED +2030-01-01 11:00:00Z +2030-01-01 10:01:00Z +DELETE +0/);
  });

  it('says when the local stack is not running', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.env.AWS_ENDPOINT_URL_SCHEDULER = 'http://127.0.0.1:9';
    try {
      expect(await main([])).toBe(1);
      expect(String(err.mock.calls[0]?.[0])).toContain('Is the local stack running?');
    } finally {
      err.mockRestore();
      delete process.env.AWS_ENDPOINT_URL_SCHEDULER;
    }
  });
});
