/**
 * `npm start` in a terminal: the stack started with the web client, a banner of where
 * everything is, and a clean stop on Ctrl-C / SIGTERM (a second signal forces the exit).
 */
import { DEMO_USERS } from '../demo-data';
import { callbackPath } from '../emulators/oidc/provider';
import { LOCAL_PAYSTACK_SECRET } from './settings';
import { STOP_BUDGET_MS } from './stop';
import type { LocalStack, LocalStackOptions } from './types';

const banner = (stack: LocalStack, readyMs: number): string => {
  const tokenCmd = `${process.env.LOCAL_DATA_DIR ? `LOCAL_DATA_DIR=${process.env.LOCAL_DATA_DIR} ` : ''}npm run --silent token -- student-bola`;
  const seeded = stack.seed?.seeded.length ? ` (seeded now: ${stack.seed.seeded.join(', ')})` : ' (kept from an earlier start)';
  return [
    '',
    ...(stack.webUrl ? [`  Web app                  ${stack.webUrl}   (open it and choose "Sign in")`] : []),
    `  Mentorship API (local)   ${stack.url}   ready in ${(readyMs / 1000).toFixed(1)} s`,
    `  WebSocket (live pushes)  ${stack.wsUrl}/?token=<JWT>   (send {"type":"ping"} to keep it open)`,
    `  Sign-in (OpenID)         ${stack.issuer}   client ${stack.clientId}, redirect ${stack.webOrigins[0]}${callbackPath}: a button per demo user, and sign-up`,
    '',
    `  Demo users${seeded}:`,
    ...DEMO_USERS.map((u) => `    ${u.id.padEnd(15)} ${u.displayName.padEnd(14)} ${u.roles.join(',')}`),
    '',
    '  A token (12 h):',
    `    ${tokenCmd}`,
    '  Try:',
    `    curl -H "authorization: Bearer $(${tokenCmd})" ${stack.url}/tutors`,
    '',
    `  DynamoDB Local           AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamoEndpoint} TABLE_NAME=${stack.tableName}`,
    `  Step Functions (local)   AWS_ENDPOINT_URL_SFN=${stack.sfnEndpoint}   time scale ×${stack.timeScale}   (npm run executions)`,
    `  Scheduler (local)        AWS_ENDPOINT_URL_SCHEDULER=${stack.schedulerEndpoint}   the timeline's schedules, same time scale   (npm run schedules)`,
    stack.paystackEmulator
      ? `  Paystack emulator        ${stack.paystackEmulator}   (checkout pages; webhooks signed with ${LOCAL_PAYSTACK_SECRET})`
      : '  Paystack                 the real service (PAYSTACK_BASE_URL)',
    stack.zoomEmulator
      ? `  Zoom emulator            ${stack.zoomEmulator}   (LOCAL_FAULTS=zoom makes it fail; POST ${stack.zoomEmulator.replace(/\/v2$/, '')}/_emulator/meetings/<meetingId>/recording-completed sends its recording webhook)`
      : '  Zoom                     the real service (ZOOM_* credentials)',
    `  Mail catcher (local SES) ${stack.mailCatcher}   (every email sent; GET /messages for JSON)`,
    `  Data                     ${stack.dataDir}`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
};

/** Runs the stack until a signal; `start` is startLocalStack (passed in, so this module does not import its caller). */
export const runFromCommandLine = async (start: (opts: LocalStackOptions) => Promise<LocalStack>): Promise<void> => {
  const t0 = Date.now();
  let stack: LocalStack | undefined;
  let stopping = false;
  let firstSignalAt = 0;
  const shutdown = (signal: string) => {
    if (stopping) {
      // Ctrl-C reaches us twice at once (from the terminal and relayed by tsx): only a later one forces.
      if (Date.now() - firstSignalAt < 1_500) return;
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    firstSignalAt = Date.now();
    process.stderr.write(`\n${signal}: stopping…\n`);
    // If we are still starting, the stack is stopped as soon as it is up (see below).
    if (stack) void stack.stop().finally(() => process.exit(0));
    // stop() is bounded; this is the backstop should anything still hold the process.
    setTimeout(() => {
      process.stderr.write(`Still not stopped after ${(STOP_BUDGET_MS + 3_000) / 1000} s: exiting now\n`);
      process.exit(1);
    }, STOP_BUDGET_MS + 3_000).unref();
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => shutdown(s));

  try {
    stack = await start({ web: true, onDynamoExit: () => process.exit(1) });
  } catch (e) {
    process.stderr.write(`Could not start the local stack: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  process.stdout.write(banner(stack, Date.now() - t0) + '\n');

  const crash = (e: unknown) => {
    process.stderr.write(`Unexpected error, stopping: ${(e as Error)?.stack ?? String(e)}\n`);
    void stack.stop().finally(() => process.exit(1));
  };
  process.on('uncaughtException', crash);
  // A stray rejection in a handler: in Lambda it would end that invocation; keep the stack up.
  process.on('unhandledRejection', (e) => process.stderr.write(`Unhandled rejection: ${(e as Error)?.stack ?? String(e)}\n`));
};
