/**
 * The EventBridge Scheduler API, served locally in AWS's REST-JSON protocol (CreateSchedule,
 * GetSchedule, UpdateSchedule, DeleteSchedule, ListSchedules under /schedules), so the functions
 * and `npm run schedules` use the real `@aws-sdk/client-scheduler` (AWS_ENDPOINT_URL_SCHEDULER).
 * Dates are epoch seconds; an error is its status with `x-amzn-errortype: <Code>` and
 * `{ "Message" }`, which the SDK turns into its exception classes. Requests are not
 * authenticated. Beside it, the local scheduler's own routes under /_local: list, fire one, fire
 * what is due (for tests and `npm run schedules`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../../ports';
import { SchedulerError, type DeadLetter, type ScheduleRecord } from './model';
import type { LocalScheduler } from './scheduler';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RESULTS = 100;

const seconds = (ms: number) => ms / 1000;

const getOut = (r: ScheduleRecord) => {
  const { StartDate, EndDate, ...spec } = r.spec;
  return {
    Arn: r.arn,
    GroupName: r.groupName,
    Name: r.name,
    ...spec,
    ...(StartDate !== undefined ? { StartDate } : {}),
    ...(EndDate !== undefined ? { EndDate } : {}),
    CreationDate: seconds(r.creationDate),
    LastModificationDate: seconds(r.lastModificationDate),
  };
};

const summaryOut = (r: ScheduleRecord) => ({
  Arn: r.arn,
  Name: r.name,
  GroupName: r.groupName,
  State: r.spec.State,
  CreationDate: seconds(r.creationDate),
  LastModificationDate: seconds(r.lastModificationDate),
  Target: { Arn: r.spec.Target.Arn },
});

/** The local listing's view of a schedule: what GetSchedule says, and where its run stands. */
export interface LocalScheduleView {
  name: string;
  groupName: string;
  state: 'ENABLED' | 'DISABLED';
  status: ScheduleRecord['status'];
  expression: string;
  /** The at() time (ISO). */
  at: string;
  /** When the local scheduler runs it, or its next retry (ISO; LOCAL_TIME_SCALE brings it closer). */
  dueAt: string;
  targetArn: string;
  input?: string;
  actionAfterCompletion: 'NONE' | 'DELETE';
  attempts: number;
  lastError?: string;
  completedAt?: string;
}

export const localView = (r: ScheduleRecord): LocalScheduleView => ({
  name: r.name,
  groupName: r.groupName,
  state: r.spec.State,
  status: r.status,
  expression: r.spec.ScheduleExpression,
  at: new Date(r.at).toISOString(),
  dueAt: new Date(r.dueAt).toISOString(),
  targetArn: r.spec.Target.Arn,
  ...(r.spec.Target.Input !== undefined ? { input: r.spec.Target.Input } : {}),
  actionAfterCompletion: r.spec.ActionAfterCompletion,
  attempts: r.attempts,
  ...(r.lastError !== undefined ? { lastError: r.lastError } : {}),
  ...(r.completedAt !== undefined ? { completedAt: new Date(r.completedAt).toISOString() } : {}),
});

export interface LocalListing {
  schedules: LocalScheduleView[];
  deadLetters: (Omit<DeadLetter, 'at' | 'deadLetteredAt'> & { at: string; deadLetteredAt: string })[];
}

const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID(), ...headers });
  res.end(text);
};
const replyError = (res: ServerResponse, e: SchedulerError) => reply(res, e.status, { Message: e.message }, { 'x-amzn-errortype': e.code });

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  let text: string;
  try {
    text = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (e) {
    throw e instanceof BodyTooLargeError ? new SchedulerError('ValidationException', 'The request is too large') : e;
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SchedulerError('ValidationException', 'The request body is not JSON');
  }
};

const maxResults = (raw: string | null): number => {
  if (raw === null) return MAX_RESULTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS)
    throw new SchedulerError('ValidationException', `Value '${raw}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_RESULTS}`);
  return n;
};

const stateFilter = (raw: string | null): 'ENABLED' | 'DISABLED' | undefined => {
  if (raw === null) return undefined;
  if (raw !== 'ENABLED' && raw !== 'DISABLED')
    throw new SchedulerError('ValidationException', `Value '${raw}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
  return raw;
};

const listSchedules = (scheduler: LocalScheduler, q: URLSearchParams) => {
  const max = maxResults(q.get('MaxResults'));
  const state = stateFilter(q.get('State'));
  const all = scheduler.list({
    ...(q.get('ScheduleGroup') !== null ? { groupName: q.get('ScheduleGroup')! } : {}),
    prefix: q.get('NamePrefix') ?? '',
    ...(state ? { state } : {}),
  });
  // The token is the last key answered: a page goes on after it even if schedules came or went meanwhile.
  const token = q.get('NextToken');
  const after = token === null ? undefined : Buffer.from(token, 'base64url').toString('utf8');
  const rest = after === undefined ? all : all.filter((r) => `${r.groupName}/${r.name}` > after);
  const page = rest.slice(0, max);
  const last = page.at(-1);
  return {
    Schedules: page.map(summaryOut),
    ...(rest.length > max && last ? { NextToken: Buffer.from(`${last.groupName}/${last.name}`).toString('base64url') } : {}),
  };
};

const localListing = async (scheduler: LocalScheduler, q: URLSearchParams): Promise<LocalListing> => {
  const prefix = q.get('prefix') ?? '';
  const group = q.get('group');
  const mine = (r: { name: string; groupName: string }) => r.name.startsWith(prefix) && (group === null || r.groupName === group);
  return {
    schedules: scheduler.list({ prefix, ...(group !== null ? { groupName: group } : {}) }).map(localView),
    deadLetters: (await scheduler.deadLetters()).filter(mine).map((l) => ({ ...l, at: new Date(l.at).toISOString(), deadLetteredAt: new Date(l.deadLetteredAt).toISOString() })),
  };
};

const route = async (scheduler: LocalScheduler, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = new URL(req.url ?? '/', 'http://local');
  const q = url.searchParams;
  const method = req.method ?? 'GET';
  const one = /^\/schedules\/([^/]+)$/.exec(url.pathname);
  const name = one ? decodeURIComponent(one[1]!) : undefined;
  const group = q.get('groupName') ?? undefined;
  if (name !== undefined && method === 'POST') return reply(res, 200, { ScheduleArn: (await scheduler.create(name, await readJson(req))).arn });
  if (name !== undefined && method === 'PUT') return reply(res, 200, { ScheduleArn: (await scheduler.update(name, await readJson(req))).arn });
  if (name !== undefined && method === 'GET') return reply(res, 200, getOut(scheduler.get(name, group)));
  if (name !== undefined && method === 'DELETE') {
    await scheduler.delete(name, group);
    return reply(res, 200, {});
  }
  if (url.pathname === '/schedules' && method === 'GET') return reply(res, 200, listSchedules(scheduler, q));

  if (url.pathname === '/_local/schedules' && method === 'GET') return reply(res, 200, await localListing(scheduler, q));
  const fire = /^\/_local\/schedules\/([^/]+)\/fire$/.exec(url.pathname);
  if (fire && method === 'POST') return reply(res, 200, await scheduler.fire(decodeURIComponent(fire[1]!), q.get('group') ?? undefined));
  if (url.pathname === '/_local/fire-due' && method === 'POST') {
    const at = q.get('at');
    const when = at === null ? undefined : Date.parse(at);
    if (when !== undefined && Number.isNaN(when)) throw new SchedulerError('ValidationException', `at=${at} is not a time`);
    return reply(res, 200, { fired: await scheduler.fireDue(when) });
  }
  reply(res, 404, { Message: `${method} ${url.pathname} is not an operation of the local scheduler` }, { 'x-amzn-errortype': 'UnknownOperationException' });
};

export const createSchedulerApi = (scheduler: LocalScheduler, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Server =>
  createServer((req, res) => {
    void route(scheduler, req, res).catch((e: unknown) => {
      if (e instanceof SchedulerError) return replyError(res, e);
      log(`[scheduler] ${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) replyError(res, new SchedulerError('InternalServerException', (e as Error).message));
    });
  });
