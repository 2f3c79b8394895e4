/**
 * `stop()` of the local stack: each part in a fixed order, each within its share of a budget,
 * DynamoDB Local last. A part that hangs (a handler still waiting on something) or fails is
 * reported and passed over, never waited for, so the stack always stops.
 */

/** How long `stop()` may take in all, DynamoDB Local's own stop (SIGTERM, then SIGKILL after 5 s) included. */
export const STOP_BUDGET_MS = 12_000;
/** The share of it each part besides DynamoDB Local gets at most. */
const STOP_PART_MS = 3_000;

/**
 * The parts in the order they stop. Closing the WebSocket API's sockets runs $disconnect, which
 * writes to the table: it stops last, before DynamoDB Local.
 */
const STOP_ORDER = {
  web: 'the web client',
  gateway: 'the HTTP gateway',
  oidc: 'the OpenID provider',
  paystack: 'the Paystack emulator',
  zoom: 'the Zoom emulator',
  streams: 'the table stream poller',
  mail: 'the mail catcher',
  workflow: 'the local Step Functions service',
  scheduler: 'the local scheduler',
  ws: 'the WebSocket API',
} as const;

export type StackPart = keyof typeof STOP_ORDER;
/** The stop of each part started so far. */
export type RunningParts = Partial<Record<StackPart, () => Promise<unknown> | undefined>>;

type Settled = 'done' | 'timeout' | { error: unknown };

const within = (ms: number, work: () => Promise<unknown> | undefined): Promise<Settled> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, ms))));
  const done = Promise.resolve()
    .then(work)
    .then(
      (): Settled => 'done',
      (error: unknown): Settled => ({ error }),
    );
  return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
};

/** Stops the running parts in STOP_ORDER, then DynamoDB Local. Never rejects. */
export const stopParts = async (running: RunningParts, stopDynamo: () => Promise<unknown>): Promise<void> => {
  const deadline = Date.now() + STOP_BUDGET_MS - 6_000;
  for (const [part, name] of Object.entries(STOP_ORDER) as [StackPart, string][]) {
    const stop = running[part];
    if (!stop) continue;
    const outcome = await within(Math.min(STOP_PART_MS, deadline - Date.now()), stop);
    if (outcome === 'timeout') process.stderr.write(`Stopping: ${name} did not stop in time; going on without it\n`);
    else if (outcome !== 'done') process.stderr.write(`Stopping: ${name} failed to stop: ${String((outcome.error as Error)?.stack ?? outcome.error)}\n`);
  }
  const outcome = await within(6_000, stopDynamo);
  if (outcome !== 'done') process.stderr.write(`Stopping: DynamoDB Local did not stop cleanly: ${outcome === 'timeout' ? 'timed out' : String(outcome.error)}\n`);
};

/** What `npm start` says when DynamoDB Local dies under it: loud, since nothing works after. */
export const dynamoDiedMessage = (exit: { code: number | null; signal: NodeJS.Signals | null }) =>
  [
    '',
    '!!! DynamoDB Local exited while the stack was running' + (exit.signal ? ` (signal ${exit.signal})` : ` (exit code ${exit.code})`) + '.',
    '!!! Every request would fail without it: the local stack is stopping. Start it again with `npm start` (the data is kept).',
    '',
  ].join('\n');
