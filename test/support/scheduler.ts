/**
 * The local EventBridge Scheduler in-process for a test file (infra/local/scheduler): the
 * real API on a free port for the code under test's @aws-sdk/client-scheduler
 * (AWS_ENDPOINT_URL_SCHEDULER and the timeline's env are set, unless `exportEnv: false`), no
 * timers: nothing runs until the test says so, with `fireDue(at)` (what is due by then,
 * retries included) or `fire(name)`. Started before the file's tests, stopped after them.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { localView, type LocalScheduleView } from '../../infra/local/aws/scheduler/api';
import { dynamoScheduleStore, memoryScheduleStore, startLocalScheduler, type FireResult, type LocalScheduler, type ScheduleTarget } from '../../infra/local/aws/scheduler';
import type { DeadLetter } from '../../infra/local/aws/scheduler/model';
import type { ScheduleStore } from '../../infra/local/aws/scheduler/store';
import { useTestTable } from './table';

export interface LocalSchedulerOptions {
  /** The functions schedules invoke, by ARN (a getter is read at each invocation). Default: none. */
  targets?: Record<string, ScheduleTarget> | (() => Record<string, ScheduleTarget>);
  /** Default 1. */
  timeScale?: number;
  retryTimeScale?: number;
  /** 'table': the local stack's store, in the file's own table (this calls useTestTable(): the file does not); default: in memory. */
  store?: 'memory' | 'table';
  /** The scheduler's clock (default Date.now): when schedules are armed, and what `fireDue()` means by now. */
  now?: () => number;
  /** Default true. */
  exportEnv?: boolean;
  /** Default: any group. */
  groups?: readonly string[];
}

export interface SchedulerHarness {
  endpoint: string;
  scheduler: LocalScheduler;
  /** An SDK client for the API. */
  client: SchedulerClient;
  /** Runs what is due at `at` (default: the clock's now). */
  fireDue: (at?: Date | number | string) => Promise<FireResult[]>;
  fire: (name: string, groupName?: string) => Promise<FireResult>;
  /** The schedules (name prefix), as `npm run schedules` lists them. */
  list: (prefix?: string) => LocalScheduleView[];
  deadLetters: () => Promise<DeadLetter[]>;
  /** Stops the scheduler and starts a new one on the same store (and port), as a restart of the local stack does. */
  restart: () => Promise<void>;
}

export const schedulerClient = (endpoint: string): SchedulerClient =>
  new SchedulerClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

export const useLocalScheduler = (opts: LocalSchedulerOptions = {}): SchedulerHarness => {
  let service: Awaited<ReturnType<typeof startLocalScheduler>> | undefined;
  let store: ScheduleStore | undefined;
  const start = async (port = 0) => {
    store ??= opts.store === 'table' ? dynamoScheduleStore() : memoryScheduleStore();
    service = await startLocalScheduler({
      port,
      targets: opts.targets ?? {},
      timeScale: opts.timeScale ?? 1,
      ...(opts.retryTimeScale !== undefined ? { retryTimeScale: opts.retryTimeScale } : {}),
      store,
      timers: false,
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.groups ? { groups: opts.groups } : {}),
      exportEnv: opts.exportEnv ?? true,
      log: () => undefined,
    });
    harness.endpoint = service.endpoint;
    harness.scheduler = service.scheduler;
  };
  const harness: SchedulerHarness = {
    endpoint: '',
    scheduler: undefined as unknown as LocalScheduler,
    client: undefined as unknown as SchedulerClient,
    fireDue: (at) => harness.scheduler.fireDue(at === undefined ? undefined : new Date(at).getTime()),
    fire: (name, groupName) => harness.scheduler.fire(name, groupName),
    list: (prefix) => harness.scheduler.list({ ...(prefix ? { prefix } : {}) }).map(localView),
    deadLetters: () => harness.scheduler.deadLetters(),
    restart: async () => {
      const port = service!.port;
      await service!.stop();
      await start(port);
    },
  };
  afterAll(async () => {
    harness.client?.destroy();
    await service?.stop();
  });
  // The table goes after the scheduler stops (afterAll hooks run in the order they are declared).
  if (opts.store === 'table') useTestTable();
  beforeAll(async () => {
    await start();
    harness.client = schedulerClient(harness.endpoint);
  });
  return harness;
};
