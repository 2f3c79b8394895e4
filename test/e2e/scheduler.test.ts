/**
 * End to end: the stack's local EventBridge Scheduler answers the real SDK on its port, holds
 * the groups the stack declares, and its control routes (what schedulesOf() and fireSchedule()
 * call) run a schedule now and show where its run ended.
 */
import { CreateScheduleCommand, GetScheduleCommand, ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { schedulerClient } from '../support/scheduler';
import { useLocalStack } from '../support/local-stack';
import { fireSchedule, schedulesOf } from '../support/e2e';

const stack = useLocalStack();
const client = schedulerClient(stack.schedulerUrl);
afterAll(() => client.destroy());

const name = `e2e-scheduler-${Date.now()}`;
const inADay = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19);
const request = (groupName: string) => ({
  Name: name,
  GroupName: groupName,
  ScheduleExpression: `at(${inADay})`,
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  ActionAfterCompletion: 'DELETE' as const,
  // No local function has this ARN: each attempt fails.
  Target: { Arn: 'arn:aws:lambda:local:000000000000:function:e2e-nowhere', RoleArn: 'arn:aws:iam::000000000000:role/x', Input: '{}', RetryPolicy: { MaximumRetryAttempts: 0 } },
});

describe('The local scheduler of the stack', () => {
  it('refuses a schedule in a group the stack does not have', async () => {
    await expect(client.send(new CreateScheduleCommand(request('no-such-group')))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps a timeline schedule, runs it when fired, and lists its dead-lettered run', async () => {
    await client.send(new CreateScheduleCommand(request('timeline')));
    expect((await schedulesOf(stack, name)).schedules).toEqual([expect.objectContaining({ name, groupName: 'timeline', status: 'SCHEDULED' })]);

    expect(await fireSchedule(stack, name)).toMatchObject({ name, outcome: 'DEAD_LETTERED', error: expect.stringContaining('No local function') });

    await expect(client.send(new GetScheduleCommand({ Name: name, GroupName: 'timeline' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(await schedulesOf(stack, name)).toEqual({ schedules: [], deadLetters: [expect.objectContaining({ name, groupName: 'timeline', attempts: 1 })] });
  });
});
