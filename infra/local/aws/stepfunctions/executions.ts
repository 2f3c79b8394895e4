/**
 * `npm run executions [-- --all | --status FAILED | --json | --fire <name>]`: the local workflow
 * executions and where each stands, asked of a running local stack's Step Functions service
 * with the real @aws-sdk/client-sfn (AWS_ENDPOINT_URL_SFN, else http://127.0.0.1:${SFN_PORT ?? 4584}).
 * `--fire` ends that execution's current timer now.
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type ExecutionListItem, type ExecutionStatus, type HistoryEvent } from '@aws-sdk/client-sfn';
import { DEFAULT_SFN_PORT, LOCAL_STATE_MACHINE_ARN } from './service';
import { shortTime, textTable } from '../../text-table';

export interface ExecutionRow {
  name: string;
  status: string;
  /** The state it last entered, e.g. "AwaitDecision". */
  state?: string;
  /** What it is doing there: "waiting for a callback", "waiting (timer)", "running", or the failure. */
  detail: string;
  /** When it entered that state. */
  since?: Date;
  startDate?: Date;
  stopDate?: Date;
}

export interface ListOptions {
  endpoint?: string;
  stateMachineArn?: string;
  /** Default: RUNNING only. */
  all?: boolean;
  status?: ExecutionStatus;
}

export const defaultEndpoint = (): string => process.env.AWS_ENDPOINT_URL_SFN || `http://127.0.0.1:${process.env.SFN_PORT || DEFAULT_SFN_PORT}`;

export class ServiceNotRunningError extends Error {
  constructor(endpoint: string) {
    super(
      `The local Step Functions service does not answer at ${endpoint}.\n` +
        'Is the local stack running? Start it with `npm start` (set AWS_ENDPOINT_URL_SFN or SFN_PORT if it listens elsewhere).',
    );
    this.name = 'ServiceNotRunningError';
  }
}

const notRunning = (e: unknown): boolean => {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  return ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code ?? '') || /ECONNREFUSED|socket hang up/.test(err.message ?? '');
};

/** Where an execution stands, from the latest events of its history. */
const whereItStands = (item: ExecutionListItem, events: HistoryEvent[]): Pick<ExecutionRow, 'state' | 'detail' | 'since'> => {
  const entered = events.find((e) => e.type?.endsWith('StateEntered'));
  const state = entered?.stateEnteredEventDetails?.name;
  const since = entered?.timestamp;
  const base = { ...(state ? { state } : {}), ...(since ? { since } : {}) };
  if (item.status !== 'RUNNING') {
    const failed = events.find((e) => e.executionFailedEventDetails ?? e.executionAbortedEventDetails ?? e.executionTimedOutEventDetails);
    const d = failed?.executionFailedEventDetails ?? failed?.executionAbortedEventDetails ?? failed?.executionTimedOutEventDetails;
    return { ...base, detail: d?.error ? `${d.error}${d.cause ? `: ${d.cause}` : ''}` : '' };
  }
  // Events newest first: what happened since the state was entered.
  const sinceEntry = entered ? events.slice(0, events.indexOf(entered)) : [];
  if (entered?.type === 'WaitStateEntered') return { ...base, detail: 'waiting (timer)' };
  // TaskSubmitted: a callback task's function has run; the token is out, the state waits for it.
  if (sinceEntry.find((e) => e.type?.startsWith('Task'))?.type === 'TaskSubmitted') return { ...base, detail: 'waiting for a callback' };
  return { ...base, detail: 'running' };
};

/** The executions of the local state machine (newest first), with where each stands. */
export const listLocalExecutions = async (opts: ListOptions = {}): Promise<ExecutionRow[]> => {
  const endpoint = opts.endpoint ?? defaultEndpoint();
  const stateMachineArn = opts.stateMachineArn ?? process.env.STATE_MACHINE_ARN ?? LOCAL_STATE_MACHINE_ARN;
  const client = new SFNClient({
    endpoint,
    region: stateMachineArn.split(':')[3] || 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const statusFilter = opts.status ?? (opts.all ? undefined : 'RUNNING');
    const items: ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListExecutionsCommand({ stateMachineArn, ...(statusFilter ? { statusFilter } : {}), maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
      );
      items.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return await Promise.all(
      items.map(async (item) => {
        const history = await client.send(new GetExecutionHistoryCommand({ executionArn: item.executionArn, reverseOrder: true, maxResults: 50 }));
        return {
          name: item.name ?? '',
          status: item.status ?? '',
          ...whereItStands(item, history.events ?? []),
          ...(item.startDate ? { startDate: item.startDate } : {}),
          ...(item.stopDate ? { stopDate: item.stopDate } : {}),
        };
      }),
    );
  } catch (e) {
    if (notRunning(e)) throw new ServiceNotRunningError(endpoint);
    throw e;
  } finally {
    client.destroy();
  }
};

/**
 * Ends the named execution's current timer now (the local service's own FireTimer operation:
 * the SDK has no command for it). Resolves with the state whose timer fired.
 */
export const fireLocalTimer = async (name: string, opts: Pick<ListOptions, 'endpoint' | 'stateMachineArn'> = {}): Promise<string> => {
  const endpoint = opts.endpoint ?? defaultEndpoint();
  const stateMachineArn = opts.stateMachineArn ?? process.env.STATE_MACHINE_ARN ?? LOCAL_STATE_MACHINE_ARN;
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'LocalStepFunctions.FireTimer' },
      body: JSON.stringify({ executionArn }),
    });
  } catch (e) {
    if (notRunning(e)) throw new ServiceNotRunningError(endpoint);
    throw e;
  }
  const body = (await res.json()) as { state?: string; message?: string };
  if (!res.ok) throw new Error(body.message ?? `FireTimer answered ${res.status}`);
  return body.state!;
};

const ago = (d: Date | undefined, now: number): string => {
  if (!d) return '';
  const s = Math.max(0, Math.round((now - d.getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
  return `${Math.floor(s / 86_400)}d ago`;
};

/** A plain-text table, one execution a line. */
export const formatExecutions = (rows: readonly ExecutionRow[], now = Date.now()): string => {
  if (rows.length === 0) return '';
  const table = [
    ['NAME', 'STATUS', 'STATE', 'SINCE', 'STARTED', 'DETAIL'],
    ...rows.map((r) => [r.name, r.status, r.state ?? '-', r.since ? ago(r.since, now) : '-', shortTime(r.startDate), r.detail]),
  ];
  return textTable(table);
};

const usage = 'Usage: npm run executions [-- --all | --status RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED] [--json]\n       npm run executions -- --fire <name>';

export const main = async (argv: string[]): Promise<number> => {
  const all = argv.includes('--all');
  const asJson = argv.includes('--json');
  const statusAt = argv.indexOf('--status');
  const status = statusAt >= 0 ? (argv[statusAt + 1]?.toUpperCase() as ExecutionStatus | undefined) : undefined;
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (statusAt >= 0 && !['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'].includes(status ?? '')) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const fireAt = argv.indexOf('--fire');
  if (fireAt >= 0) {
    const name = argv[fireAt + 1];
    if (!name) {
      process.stderr.write(`${usage}\n`);
      return 2;
    }
    try {
      process.stdout.write(`${name}: the timer of ${await fireLocalTimer(name)} fired\n`);
      return 0;
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      return 1;
    }
  }
  try {
    const rows = await listLocalExecutions({ all, ...(status ? { status } : {}) });
    if (asJson) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length === 0) process.stdout.write(all || status ? 'No executions.\n' : 'No running executions (npm run executions -- --all lists finished ones too).\n');
    else process.stdout.write(`${formatExecutions(rows)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof ServiceNotRunningError ? e.message : `Could not list the executions: ${(e as Error).message}`}\n`);
    return 1;
  }
};

// Run as a command (not when imported, e.g. by a test). By file name: works as ES module and CommonJS alike.
if (/[\\/]executions\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) void main(process.argv.slice(2)).then((code) => process.exit(code));
