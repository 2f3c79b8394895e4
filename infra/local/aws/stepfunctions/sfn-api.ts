/**
 * The Step Functions API, served locally in AWS's JSON 1.0 protocol, so the functions (and
 * `npm run executions`) use the real `@aws-sdk/client-sfn` through AWS_ENDPOINT_URL_SFN:
 *   POST /   x-amz-target: AWSStepFunctions.<Operation>   content-type: application/x-amz-json-1.0
 * Dates are epoch seconds; errors are HTTP 400 with `{ "__type": "...#<Code>", "message" }`,
 * which the SDK turns into its own exception classes (TaskDoesNotExist, InvalidToken, ...).
 * Requests are not authenticated (any SigV4 credentials do).
 * One operation of the local service's own, not AWS's: `LocalStepFunctions.FireTimer`
 * `{ executionArn }` ends the execution's current timer now (`npm run executions -- fire`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLargeError, httpOrigin, listen, readBody } from '../../ports';
import { SfnError, type ExecutionDescription, type LocalStepFunctions } from './runner';
import { EXECUTION_STATUSES, type ExecutionStatus, type LocalHistoryEvent } from './store';

export interface SfnApiOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface SfnApiServer {
  endpoint: string;
  port: number;
  server: Server;
  close: () => Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const LOCAL_TARGET_PREFIX = 'LocalStepFunctions.';
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.model';
const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.0';

type Body = Record<string, unknown>;

const seconds = (d: Date | number | undefined): number | undefined => (d === undefined ? undefined : (typeof d === 'number' ? d : d.getTime()) / 1000);

const str = (body: Body, key: string, required = true): string | undefined => {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new SfnError('ValidationException', `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof v !== 'string') throw new SfnError('ValidationException', `Value at '${key}' must be a string`);
  return v;
};
const num = (body: Body, key: string): number | undefined => {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1000) throw new SfnError('ValidationException', `Value at '${key}' must be an integer from 0 to 1000`);
  return v;
};
const status = (body: Body, key: string): ExecutionStatus | undefined => {
  const v = str(body, key, false);
  if (v === undefined) return undefined;
  if (!(EXECUTION_STATUSES as readonly string[]).includes(v)) throw new SfnError('ValidationException', `Value '${v}' at '${key}' must be one of ${EXECUTION_STATUSES.join(', ')}`);
  return v as ExecutionStatus;
};

const describeOut = (d: ExecutionDescription) => ({
  executionArn: d.executionArn,
  stateMachineArn: d.stateMachineArn,
  name: d.name,
  status: d.status,
  startDate: seconds(d.startDate),
  ...(d.stopDate ? { stopDate: seconds(d.stopDate) } : {}),
  input: d.input,
  inputDetails: { included: true },
  ...(d.output !== undefined ? { output: d.output, outputDetails: { included: true } } : {}),
  ...(d.error !== undefined ? { error: d.error } : {}),
  ...(d.cause !== undefined ? { cause: d.cause } : {}),
  redriveCount: 0,
  redriveStatus: 'NOT_REDRIVABLE',
});

const eventOut = (e: LocalHistoryEvent) => ({ ...e, timestamp: seconds(e.timestamp) });

type Operation = (runner: LocalStepFunctions, body: Body) => Promise<unknown>;

const operations = (createdAt: Date): Record<string, Operation> => ({
  async StartExecution(runner, body) {
    const name = str(body, 'name', false);
    const input = str(body, 'input', false);
    const out = await runner.startExecution({ stateMachineArn: str(body, 'stateMachineArn'), ...(name !== undefined ? { name } : {}), ...(input !== undefined ? { input } : {}) });
    return { executionArn: out.executionArn, startDate: seconds(out.startDate) };
  },
  async SendTaskSuccess(runner, body) {
    await runner.sendTaskSuccess(str(body, 'taskToken')!, str(body, 'output')!);
    return {};
  },
  async SendTaskFailure(runner, body) {
    await runner.sendTaskFailure(str(body, 'taskToken')!, str(body, 'error', false), str(body, 'cause', false));
    return {};
  },
  async SendTaskHeartbeat(runner, body) {
    await runner.sendTaskHeartbeat(str(body, 'taskToken')!);
    return {};
  },
  async DescribeExecution(runner, body) {
    return describeOut(await runner.describeExecution(str(body, 'executionArn')!));
  },
  async GetExecutionHistory(runner, body) {
    const maxResults = num(body, 'maxResults');
    const nextToken = str(body, 'nextToken', false);
    const out = await runner.getExecutionHistory(str(body, 'executionArn')!, {
      reverseOrder: body.reverseOrder === true,
      ...(maxResults !== undefined ? { maxResults } : {}),
      ...(nextToken !== undefined ? { nextToken } : {}),
    });
    return { events: out.events.map(eventOut), ...(out.nextToken ? { nextToken: out.nextToken } : {}) };
  },
  async ListExecutions(runner, body) {
    const arn = str(body, 'stateMachineArn')!;
    if (arn !== runner.stateMachineArn) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    const statusFilter = status(body, 'statusFilter');
    const maxResults = num(body, 'maxResults');
    const nextToken = str(body, 'nextToken', false);
    const out = await runner.listExecutions({
      ...(statusFilter ? { statusFilter } : {}),
      ...(maxResults !== undefined ? { maxResults } : {}),
      ...(nextToken !== undefined ? { nextToken } : {}),
    });
    return {
      executions: out.executions.map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: seconds(e.startDate),
        ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
      })),
      ...(out.nextToken ? { nextToken: out.nextToken } : {}),
    };
  },
  async StopExecution(runner, body) {
    const error = str(body, 'error', false);
    const cause = str(body, 'cause', false);
    const out = await runner.stopExecution(str(body, 'executionArn')!, { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
    return { stopDate: seconds(out.stopDate) };
  },
  async ListStateMachines(runner) {
    const name = runner.stateMachineArn.split(':').pop();
    return { stateMachines: [{ stateMachineArn: runner.stateMachineArn, name, type: 'STANDARD', creationDate: seconds(createdAt) }] };
  },
});

const localOps: Record<string, Operation> = {
  async FireTimer(runner, body) {
    return runner.fireTimer(str(body, 'executionArn')!);
  },
};

const readText = async (req: IncomingMessage): Promise<string> => {
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (e) {
    throw e instanceof BodyTooLargeError ? new SfnError('ValidationException', 'The request is too large') : e;
  }
};

const reply = (res: ServerResponse, statusCode: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
};
const replyError = (res: ServerResponse, statusCode: number, code: string, message: string) => reply(res, statusCode, { __type: `${ERROR_NAMESPACE}#${code}`, message });

export const createSfnApi = (runner: LocalStepFunctions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Server => {
  const ops = operations(new Date());
  return createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'POST') return replyError(res, 404, 'UnknownOperationException', 'The Step Functions API answers POST / only');
        const target = String(req.headers['x-amz-target'] ?? '');
        const op = target.startsWith(TARGET_PREFIX)
          ? ops[target.slice(TARGET_PREFIX.length)]
          : target.startsWith(LOCAL_TARGET_PREFIX)
            ? localOps[target.slice(LOCAL_TARGET_PREFIX.length)]
            : undefined;
        const text = await readText(req);
        if (!op) return replyError(res, 400, 'UnknownOperationException', `Operation ${target || '(none)'} is not served by the local Step Functions service`);
        let body: Body;
        try {
          const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
          body = parsed as Body;
        } catch {
          return replyError(res, 400, 'SerializationException', 'The request body is not a JSON object');
        }
        reply(res, 200, await op(runner, body));
      } catch (e) {
        if (e instanceof SfnError) return replyError(res, 400, e.code, e.message);
        log(`[local-sfn] ${String(req.headers['x-amz-target'])}: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) replyError(res, 500, 'InternalServerError', (e as Error).message);
      }
    })();
  });
};

/** Starts the API on host:port (0: a free port). */
export const startSfnApi = async (runner: LocalStepFunctions, opts: SfnApiOptions, log?: (line: string) => void): Promise<SfnApiServer> => {
  const server = createSfnApi(runner, log);
  const host = opts.host ?? '127.0.0.1';
  const address = await listen(server, opts.port, host, 'the local Step Functions service needs it (SFN_PORT)');
  let closing: Promise<void> | undefined;
  return {
    endpoint: httpOrigin(address),
    port: address.port,
    server,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        // The SDK keeps connections alive: end them so the close does not hang.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      })),
  };
};
