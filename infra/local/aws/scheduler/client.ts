/**
 * The local scheduler's own routes as functions, for `npm run schedules` and the e2e tests: the
 * schedules with where each run stands, the dead letters, and running one now. (The schedules
 * themselves are AWS's API: use @aws-sdk/client-scheduler for those.)
 */
import type { LocalListing } from './api';
import type { FireResult } from './scheduler';
import { shortTime, textTable } from '../../text-table';

/** Beside the local Step Functions service's 4584. */
export const DEFAULT_SCHEDULER_PORT = 4585;

export const defaultSchedulerEndpoint = (): string => process.env.AWS_ENDPOINT_URL_SCHEDULER || `http://127.0.0.1:${process.env.SCHEDULER_PORT || DEFAULT_SCHEDULER_PORT}`;

export class SchedulerNotRunningError extends Error {
  constructor(endpoint: string) {
    super(
      `The local scheduler does not answer at ${endpoint}.\n` +
        'Is the local stack running? Start it with `npm start` (set AWS_ENDPOINT_URL_SCHEDULER or SCHEDULER_PORT if it listens elsewhere).',
    );
    this.name = 'SchedulerNotRunningError';
  }
}

export interface LocalSchedulesOptions {
  /** Default: defaultSchedulerEndpoint(). */
  endpoint?: string;
  /** Only schedules (and dead letters) whose name starts with it, e.g. a session id. */
  prefix?: string;
  group?: string;
}

const call = async <T>(endpoint: string, method: string, path: string, query: Record<string, string | undefined>): Promise<T> => {
  const url = new URL(path, endpoint);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, { method });
  } catch {
    throw new SchedulerNotRunningError(endpoint);
  }
  const body = (await res.json()) as T & { Message?: string };
  if (!res.ok) throw new Error(body.Message ?? `${method} ${path} answered ${res.status}`);
  return body;
};

/** The schedules (by group, then name) and the dead letters (oldest first). */
export const listLocalSchedules = (opts: LocalSchedulesOptions = {}): Promise<LocalListing> =>
  call(opts.endpoint ?? defaultSchedulerEndpoint(), 'GET', '/_local/schedules', { prefix: opts.prefix, group: opts.group });

/** Runs the named schedule now (one attempt; a failure follows its retry policy). Without a group: the only schedule of that name. */
export const fireLocalSchedule = (name: string, opts: Omit<LocalSchedulesOptions, 'prefix'> = {}): Promise<FireResult> =>
  call(opts.endpoint ?? defaultSchedulerEndpoint(), 'POST', `/_local/schedules/${encodeURIComponent(name)}/fire`, { group: opts.group });

/** Runs every schedule due by `at` (default: now), retries included. */
export const fireDueLocalSchedules = async (opts: { endpoint?: string; at?: Date } = {}): Promise<FireResult[]> =>
  (await call<{ fired: FireResult[] }>(opts.endpoint ?? defaultSchedulerEndpoint(), 'POST', '/_local/fire-due', { at: opts.at?.toISOString() })).fired;

/** Plain-text tables: the schedules, then the dead letters. */
export const formatSchedules = (listing: LocalListing): string => {
  const parts: string[] = [];
  if (listing.schedules.length > 0)
    parts.push(
      textTable([
        ['GROUP', 'NAME', 'STATE', 'STATUS', 'AT', 'RUNS AT (LOCAL)', 'AFTER', 'ATTEMPTS', 'LAST ERROR'],
        ...listing.schedules.map((s) => [
          s.groupName,
          s.name,
          s.state,
          s.status,
          shortTime(s.at),
          s.status === 'COMPLETED' ? shortTime(s.completedAt) : shortTime(s.dueAt),
          s.actionAfterCompletion,
          String(s.attempts),
          s.lastError ?? '',
        ]),
      ]),
    );
  if (listing.deadLetters.length > 0)
    parts.push(
      `Dead-lettered runs:\n${textTable([
        ['GROUP', 'NAME', 'AT', 'DEAD-LETTERED', 'ATTEMPTS', 'TARGET', 'ERROR'],
        ...listing.deadLetters.map((l) => [l.groupName, l.name, shortTime(l.at), shortTime(l.deadLetteredAt), String(l.attempts), l.targetArn, l.error]),
      ])}`,
    );
  return parts.join('\n\n');
};
