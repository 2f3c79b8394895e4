/**
 * `npm run invoke -- <handler> [eventFile] [--raw]`: one HTTP handler run in-process with a
 * sample API Gateway (payload 2.0) event, default events/<handler>.json, as Lambda would call
 * it, and what it returns printed (README says which variables it needs). With
 * AWS_ENDPOINT_URL_DYNAMODB set, the region and the dummy credentials DynamoDB Local accepts are
 * filled in; without it the SDK's defaults apply, i.e. real AWS with your credentials, and a
 * warning says so. Exit code 0 when the handler returned, 1 when it threw or the arguments were
 * wrong.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { ENV } from '../shared/config';
import { handlerEntry, ROUTES, routeTimeoutSeconds } from '../shared/http/routes';
import { LOCAL_AWS_ENV } from '../infra/local/aws/dynamo';

const PROJECT_ROOT = resolve(process.cwd());

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const usage = (): string =>
  [
    'Usage: npm run invoke -- <handler> [eventFile] [--raw]',
    `  handlers: ${ROUTES.map((r) => r.handler).join(', ')}`,
    '  env: TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB (the local stack prints both)',
  ].join('\n');

/** `timeoutMs`: the timeout the stack gives the handler's function (its route's `timeoutSeconds`, shared/http/routes.ts). */
const lambdaContext = (functionName: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  const region = process.env.AWS_REGION ?? LOCAL_AWS_ENV.AWS_REGION;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${new Date().toISOString().slice(0, 10)}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    /* eslint-disable @typescript-eslint/no-deprecated -- the Context type still requires the legacy callback members */
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    /* eslint-enable @typescript-eslint/no-deprecated */
  };
};

/** The result with a JSON body parsed, for reading; anything else unchanged. */
const readable = (result: unknown): unknown => {
  if (typeof result !== 'object' || result === null || typeof (result as { body?: unknown }).body !== 'string') return result;
  const r = result as { body: string };
  try {
    return { ...r, body: r.body === '' ? r.body : (JSON.parse(r.body) as unknown) };
  } catch {
    return result;
  }
};

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  const raw = args.includes('--raw');
  const [name, eventArg] = args.filter((a) => a !== '--raw');
  if (!name || name === '--help' || name === '-h') fail(usage());
  const route = ROUTES.find((r) => r.handler === name) ?? fail(`Unknown handler "${name}".\n${usage()}`);

  const cwd = process.env.INIT_CWD ?? process.cwd();
  const eventPath = eventArg ? (isAbsolute(eventArg) ? eventArg : resolve(cwd, eventArg)) : join(PROJECT_ROOT, 'events', `${name}.json`);
  if (!existsSync(eventPath)) fail(`No event file at ${eventPath}`);
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (e) {
    fail(`${eventPath} is not valid JSON: ${(e as Error).message}`);
  }

  // The environment must be complete before the handler module (and the SDK client) loads.
  if (!process.env[ENV.tableName]) fail(`${ENV.tableName} is not set.\n${usage()}`);
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB) {
    for (const [k, v] of Object.entries(LOCAL_AWS_ENV)) process.env[k] ??= v;
  } else {
    process.stderr.write('Warning: AWS_ENDPOINT_URL_DYNAMODB is not set: DynamoDB calls go to real AWS with your default credentials.\n');
  }

  const modulePath = join(PROJECT_ROOT, handlerEntry(route));
  const mod = (await import(pathToFileURL(modulePath).href)) as { handler?: Handler; default?: { handler?: Handler } };
  const handler = mod.handler ?? mod.default?.handler;
  if (typeof handler !== 'function') fail(`${handlerEntry(route)} does not export a function named handler`);

  const started = performance.now();
  let result: unknown;
  try {
    result = await handler!(event, lambdaContext(`Mentorship-local-${name}`, routeTimeoutSeconds(route) * 1000));
  } catch (e) {
    fail(`The handler threw: ${(e as Error)?.stack ?? String(e)}`);
  }
  const ms = Math.round(performance.now() - started);
  const status = (result as { statusCode?: number } | undefined)?.statusCode;
  process.stderr.write(`${route.method} ${route.path} → ${status ?? '(no status)'} in ${ms} ms\n`);
  process.stdout.write(`${JSON.stringify(raw ? result : readable(result), null, 2)}\n`);
};

// Exit explicitly: the SDK's keep-alive sockets would otherwise hold the process open.
main().then(
  () => process.exit(0),
  (e: unknown) => fail(String((e as Error)?.stack ?? e)),
);
