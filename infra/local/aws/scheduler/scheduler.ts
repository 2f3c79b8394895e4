/**
 * The local EventBridge Scheduler: one-time schedules kept in a store (the local stack's table),
 * each run once at its time by calling the function its target ARN names, in-process (a run's
 * event, retries and end: ./runs.ts). Waits are scaled as the local workflow runner's
 * (LOCAL_TIME_SCALE): armed at A for time T, a schedule runs at A + (T - A) / timeScale; a time
 * already past runs at once, on start too (it came due while the stack was down). Tests pass
 * `timers: false` and a `now` of their own, then `fireDue(at)` or `fire(name)`.
 */
import { randomUUID } from 'node:crypto';
import { longSleep } from '../stepfunctions/time-scale';
import { DEFAULT_GROUP, dueTime, parseAt, parseScheduleBody, scheduleArn, SchedulerError, validName, type DeadLetter, type ScheduleRecord } from './model';
import { afterAttempt, targetEvent } from './runs';
import { memoryScheduleStore, type ScheduleStore } from './store';

/** A function a schedule's target ARN names: called with the schedule's input as the event. */
export type ScheduleTarget = (event: unknown) => Promise<unknown>;

export interface LocalSchedulerOptions {
  /** The functions the schedules invoke, by ARN; a getter is read at each invocation. */
  targets: Record<string, ScheduleTarget> | (() => Record<string, ScheduleTarget>);
  /** Default: in memory. */
  store?: ScheduleStore;
  /** Waits last 1/timeScale of their real length. Default 1. */
  timeScale?: number;
  /** Retry delays alone last 1/retryTimeScale of theirs. Default: timeScale. */
  retryTimeScale?: number;
  /** Default Date.now. */
  now?: () => number;
  /** Run schedules on timers when they come due. Default true; false: only fireDue() and fire() run them. */
  timers?: boolean;
  /** The schedule groups that exist (others answer ResourceNotFoundException). Default: any. */
  groups?: readonly string[];
  log?: (line: string) => void;
}

export type FireOutcome = 'SUCCEEDED' | 'RETRYING' | 'DEAD_LETTERED' | 'SUPERSEDED';
export interface FireResult {
  name: string;
  groupName: string;
  attempt: number;
  outcome: FireOutcome;
  error?: string;
}

export interface ListFilter {
  groupName?: string;
  prefix?: string;
  state?: 'ENABLED' | 'DISABLED';
}

export interface LocalScheduler {
  readonly timeScale: number;
  create(name: string, body: unknown): Promise<ScheduleRecord>;
  update(name: string, body: unknown): Promise<ScheduleRecord>;
  get(name: string, groupName?: string): ScheduleRecord;
  delete(name: string, groupName?: string): Promise<void>;
  /** Sorted by group, then name. */
  list(filter?: ListFilter): ScheduleRecord[];
  deadLetters(): Promise<DeadLetter[]>;
  /** Loads the stored schedules and arms their timers (past-due ones run at once). Resolves with how many were loaded. */
  start(): Promise<number>;
  /** Runs every enabled schedule due at `at` (default now), and the retries that come due by then, in time order. */
  fireDue(at?: number): Promise<FireResult[]>;
  /** Runs the named schedule now (an attempt of its current run), whatever its time. Without a group: the only schedule of that name. */
  fire(name: string, groupName?: string): Promise<FireResult>;
  /** Stops the timers and waits for the invocations in flight. */
  stop(): Promise<void>;
}

const keyOf = (groupName: string, name: string) => `${groupName}/${name}`;
const message = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export const createLocalScheduler = (opts: LocalSchedulerOptions): LocalScheduler => {
  const store = opts.store ?? memoryScheduleStore();
  const timeScale = opts.timeScale ?? 1;
  const retryTimeScale = opts.retryTimeScale ?? timeScale;
  for (const [n, v] of [
    ['timeScale', timeScale],
    ['retryTimeScale', retryTimeScale],
  ] as const)
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${n} must be a number > 0, got ${v}`);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const records = new Map<string, ScheduleRecord>();
  const timers = new Map<string, { cancel: () => void }>();
  const inFlight = new Map<string, Promise<FireResult>>();
  let stopped = false;

  // Every change of `records` and the store, one at a time (invocations run outside it).
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  const find = (name: string, groupName?: string): ScheduleRecord => {
    if (groupName !== undefined) {
      const r = records.get(keyOf(groupName, name));
      if (r) return r;
    } else {
      const matches = [...records.values()].filter((r) => r.name === name);
      if (matches.length > 1)
        throw new SchedulerError('ValidationException', `Schedules named ${name} exist in several groups (${matches.map((r) => r.groupName).join(', ')}): name the group`);
      if (matches[0]) return matches[0];
    }
    throw new SchedulerError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
  };

  const checkGroup = (groupName: string) => {
    if (opts.groups && !opts.groups.includes(groupName)) throw new SchedulerError('ResourceNotFoundException', `Schedule group ${groupName} does not exist.`);
  };

  const arm = (r: ScheduleRecord) => {
    const key = keyOf(r.groupName, r.name);
    timers.get(key)?.cancel();
    timers.delete(key);
    if (stopped || opts.timers === false || r.spec.State !== 'ENABLED' || r.status === 'COMPLETED') return;
    const sleep = longSleep(r.dueAt - now());
    timers.set(key, sleep);
    void sleep.done.then(() => {
      timers.delete(key);
      const current = records.get(key);
      if (current?.revision === r.revision && !stopped) void attempt(current, now());
    });
  };

  const disarm = (key: string) => {
    timers.get(key)?.cancel();
    timers.delete(key);
  };

  /** The fields a Create or Update sets; a new run starts. */
  const armedSpec = (name: string, body: unknown, at: number) => {
    const b = parseScheduleBody(body);
    const groupName = b.GroupName ?? DEFAULT_GROUP;
    checkGroup(groupName);
    const atMs = parseAt(b.ScheduleExpression, b.ScheduleExpressionTimezone ?? 'UTC');
    // AWS refuses a one-time schedule in the past; a minute's grace for its one-minute precision.
    if (atMs < at - 60_000) throw new SchedulerError('ValidationException', `The schedule's time ${b.ScheduleExpression} is in the past.`);
    const { ClientToken, GroupName: _g, ...spec } = b;
    return {
      groupName,
      clientToken: ClientToken,
      fields: {
        spec: { ...spec, State: b.State ?? 'ENABLED', ActionAfterCompletion: b.ActionAfterCompletion ?? 'NONE' },
        at: atMs,
        dueAt: dueTime(atMs, at, timeScale),
        status: 'SCHEDULED' as const,
        attempts: 0,
        lastModificationDate: at,
      },
    };
  };

  /** One invocation of the schedule's current run, at `at`; then the run goes on (retry) or ends. */
  const attempt = (r: ScheduleRecord, at: number): Promise<FireResult> => {
    const key = keyOf(r.groupName, r.name);
    const running = inFlight.get(key);
    if (running) return running;
    disarm(key);
    const number = r.attempts + 1;
    const target = (typeof opts.targets === 'function' ? opts.targets() : opts.targets)[r.spec.Target.Arn];
    const run = (async (): Promise<FireResult> => {
      let error: string | undefined;
      try {
        if (!target) throw new Error(`No local function for the target ${r.spec.Target.Arn}`);
        await target(targetEvent(r, number, randomUUID()));
      } catch (e) {
        error = message(e);
      }
      return exclusive(() => settle(key, r.revision, number, at, error));
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, run);
    return run;
  };

  const settle = async (key: string, revision: number, number: number, at: number, error: string | undefined): Promise<FireResult> => {
    const r = records.get(key);
    const base = { name: key.slice(key.indexOf('/') + 1), groupName: key.slice(0, key.indexOf('/')), attempt: number };
    // Updated or deleted while the target ran: the new version has a run of its own.
    if (r?.revision !== revision) return { ...base, outcome: 'SUPERSEDED', ...(error ? { error } : {}) };
    const next = afterAttempt(r, number, at, error, { retryTimeScale, now: now() });
    if (next.kind === 'retry') {
      await store.save(next.next);
      records.set(key, next.next);
      arm(next.next);
      log(`[scheduler] ${r.groupName}/${r.name}: attempt ${number} failed (${error}); retrying`);
      return { ...base, outcome: 'RETRYING', ...(error !== undefined ? { error } : {}) };
    }
    if (next.deadLetter) {
      await store.saveDeadLetter(next.deadLetter);
      log(`[scheduler] ${r.groupName}/${r.name}: DEAD-LETTERED after ${number} attempt(s): ${error}`);
    }
    if (next.completed) {
      await store.save(next.completed);
      records.set(key, next.completed);
    } else {
      await store.remove(r.groupName, r.name);
      records.delete(key);
    }
    if (error === undefined) log(`[scheduler] ${r.groupName}/${r.name}: ran ${r.spec.Target.Arn}${number > 1 ? ` (attempt ${number})` : ''}`);
    return { ...base, outcome: error === undefined ? 'SUCCEEDED' : 'DEAD_LETTERED', ...(error ? { error } : {}) };
  };

  const due = (at: number) =>
    [...records.values()].filter((r) => r.spec.State === 'ENABLED' && r.status !== 'COMPLETED' && r.dueAt <= at).sort((a, b) => a.dueAt - b.dueAt || (a.name < b.name ? -1 : 1));

  return {
    timeScale,
    create: (name, body) =>
      exclusive(async () => {
        validName(name);
        const at = now();
        const { groupName, clientToken, fields } = armedSpec(name, body, at);
        const key = keyOf(groupName, name);
        const existing = records.get(key);
        // The SDK sends a ClientToken with every create: a retried request is answered as the first was.
        if (existing && clientToken !== undefined && existing.clientToken === clientToken) return existing;
        if (existing) throw new SchedulerError('ConflictException', `Schedule ${name} already exists.`);
        const r: ScheduleRecord = { name, groupName, arn: scheduleArn(groupName, name), ...fields, creationDate: at, revision: 1, ...(clientToken ? { clientToken } : {}) };
        await store.save(r);
        records.set(key, r);
        arm(r);
        return r;
      }),
    update: (name, body) =>
      exclusive(async () => {
        validName(name);
        const at = now();
        const { groupName, fields } = armedSpec(name, body, at);
        const existing = find(name, groupName);
        const { lastError: _e, firstAttemptAt: _f, completedAt: _c, ...kept } = existing;
        const r: ScheduleRecord = { ...kept, ...fields, revision: existing.revision + 1 };
        await store.save(r);
        records.set(keyOf(groupName, name), r);
        arm(r);
        return r;
      }),
    get: (name, groupName = DEFAULT_GROUP) => structuredClone(find(validName(name), groupName)),
    delete: (name, groupName = DEFAULT_GROUP) =>
      exclusive(async () => {
        const r = find(validName(name), groupName);
        await store.remove(r.groupName, r.name);
        records.delete(keyOf(r.groupName, r.name));
        disarm(keyOf(r.groupName, r.name));
      }),
    list: (filter = {}) =>
      [...records.values()]
        .filter(
          (r) => (filter.groupName === undefined || r.groupName === filter.groupName) && r.name.startsWith(filter.prefix ?? '') && (!filter.state || r.spec.State === filter.state),
        )
        .sort((a, b) => (a.groupName === b.groupName ? (a.name < b.name ? -1 : 1) : a.groupName < b.groupName ? -1 : 1))
        .map((r) => structuredClone(r)),
    deadLetters: () => store.deadLetters(),
    start: () =>
      exclusive(async () => {
        const loaded = await store.load();
        for (const r of loaded) records.set(keyOf(r.groupName, r.name), r);
        for (const r of loaded) arm(r);
        return loaded.length;
      }),
    async fireDue(at = now()) {
      const results: FireResult[] = [];
      for (let next = due(at); next.length > 0; next = due(at)) for (const r of next) results.push(await attempt(r, Math.max(r.dueAt, r.lastModificationDate)));
      return results;
    },
    fire: (name, groupName) => attempt(find(name, groupName), now()),
    async stop() {
      stopped = true;
      for (const t of timers.values()) t.cancel();
      timers.clear();
      await Promise.allSettled([...inFlight.values()]);
      await tail;
    },
  };
};
