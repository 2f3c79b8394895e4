/**
 * The local EventBridge Scheduler as the local stack (and the tests) start it: the schedules
 * the store holds loaded (past-due ones run at once), timers armed, and the AWS API on a
 * loopback port for the functions' real @aws-sdk/client-scheduler (AWS_ENDPOINT_URL_SCHEDULER).
 */
import { httpOrigin, listen } from '../../ports';
import { parseTimeScale, RETRY_TIME_SCALE_ENV } from '../stepfunctions/time-scale';
import { createSchedulerApi } from './api';
import { DEFAULT_SCHEDULER_PORT } from './client';
import { DEFAULT_GROUP } from './model';
import { createLocalScheduler, type LocalScheduler, type LocalSchedulerOptions } from './scheduler';
import { dynamoScheduleStore } from './store';
import { timelineTargetArn } from './targets';

export { createLocalScheduler, type LocalScheduler, type ScheduleTarget, type FireResult } from './scheduler';
export { memoryScheduleStore, dynamoScheduleStore, type ScheduleStore } from './store';
export { localScheduleTargets, lambdaTarget, LOCAL_TIMELINE_TARGET_ARN } from './targets';
export type { LocalListing, LocalScheduleView } from './api';
export { DEFAULT_SCHEDULER_PORT, listLocalSchedules, fireLocalSchedule, fireDueLocalSchedules } from './client';

/** The timeline's schedule group locally (TIMELINE_SCHEDULE_GROUP, unless set). */
export const LOCAL_TIMELINE_GROUP = 'timeline';
/** Any ARN does locally: nothing assumes the role. */
export const LOCAL_TIMELINE_ROLE_ARN = 'arn:aws:iam::000000000000:role/timeline-scheduler';

export interface LocalSchedulerServiceOptions extends Omit<LocalSchedulerOptions, 'timeScale' | 'retryTimeScale'> {
  /** Default DEFAULT_SCHEDULER_PORT; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: LOCAL_TIME_SCALE, else 1. */
  timeScale?: number;
  /** Default: LOCAL_RETRY_TIME_SCALE, else the time scale. */
  retryTimeScale?: number;
  /**
   * Default true: sets AWS_ENDPOINT_URL_SCHEDULER, and the timeline's TIMELINE_SCHEDULE_GROUP,
   * TIMELINE_TARGET_ARN and TIMELINE_SCHEDULER_ROLE_ARN where unset, in process.env before the
   * stored schedules run (their functions may create schedules straight away); the groups that
   * exist are then `default` and the timeline's.
   */
  exportEnv?: boolean;
}

export interface LocalSchedulerService {
  endpoint: string;
  port: number;
  scheduler: LocalScheduler;
  /** How many stored schedules were loaded at start. */
  loaded: number;
  /** Stops the timers and the API (the schedules stay in the store, to run next time). */
  stop: () => Promise<void>;
}

export const startLocalScheduler = async (opts: LocalSchedulerServiceOptions): Promise<LocalSchedulerService> => {
  const timeScale = opts.timeScale ?? parseTimeScale();
  const exportEnv = opts.exportEnv !== false;
  if (exportEnv) {
    process.env.TIMELINE_SCHEDULE_GROUP ||= LOCAL_TIMELINE_GROUP;
    process.env.TIMELINE_SCHEDULER_ROLE_ARN ||= LOCAL_TIMELINE_ROLE_ARN;
    timelineTargetArn();
  }
  const scheduler = createLocalScheduler({
    ...opts,
    timeScale,
    retryTimeScale: opts.retryTimeScale ?? parseTimeScale(process.env[RETRY_TIME_SCALE_ENV], RETRY_TIME_SCALE_ENV, timeScale),
    store: opts.store ?? dynamoScheduleStore(),
    ...(opts.groups ? { groups: opts.groups } : exportEnv ? { groups: [DEFAULT_GROUP, process.env.TIMELINE_SCHEDULE_GROUP!] } : {}),
  });
  const server = createSchedulerApi(scheduler, opts.log);
  const address = await listen(server, opts.port ?? DEFAULT_SCHEDULER_PORT, opts.host ?? '127.0.0.1', 'the local scheduler needs it (SCHEDULER_PORT)');
  const endpoint = httpOrigin(address);
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      // The SDK keeps connections alive: end them so the close does not hang.
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 1_000).unref();
    });
  if (exportEnv) process.env.AWS_ENDPOINT_URL_SCHEDULER = endpoint;
  let loaded: number;
  try {
    loaded = await scheduler.start();
  } catch (e) {
    await scheduler.stop();
    await close();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return { endpoint, port: address.port, scheduler, loaded, stop: () => (stopping ??= scheduler.stop().finally(close)) };
};
