/**
 * For the tests of the local Step Functions service: fake step handlers that answer as the
 * real ones would (per session, as each test scripts it), and an SDK client for the service.
 */
import { EventEmitter } from 'node:events';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { useTestTable } from './table';
import type { StepHandler } from '../../infra/local/aws/stepfunctions/runner';
import { startLocalWorkflowService, type LocalWorkflowService } from '../../infra/local/aws/stepfunctions/service';

/** The default decision backstop and payment window: 30 days, so a test answers in time even at scale 100000 (26 s). */
const LONG = 30 * 24 * 3600;

/** The booking mode each execution was started with (workflowInput), by session: the first start's. */
const modes = new Map<string, 'INSTANT' | 'REQUEST'>();

export interface SessionScript {
  paymentTimeoutSeconds?: number;
  /** Once set, awaitDecision fails its own token with it (like the real step after a rejection). */
  decision?: 'REJECTED';
  /** confirmBooking (which makes the meeting) throws this many times before it succeeds (Infinity: always). */
  meetingFailures?: number;
}

export interface FakeSteps {
  handlers: Record<string, StepHandler>;
  /** Steps called, per session, in order. */
  calls: Map<string, string[]>;
  /** Task tokens the callback steps received, per session, in order. */
  tokens: Map<string, string[]>;
  script: (sessionId: string, s: SessionScript) => void;
  /** Resolves with the n-th token (1-based) the session's callback steps received. */
  token: (sessionId: string, n?: number, timeoutMs?: number) => Promise<string>;
  /** The client the fake steps call the service with (set once the service is up). */
  useClient: (client: SFNClient) => void;
}

export const fakeSteps = (): FakeSteps => {
  const scripts = new Map<string, SessionScript>();
  const calls = new Map<string, string[]>();
  const tokens = new Map<string, string[]>();
  let client: SFNClient | undefined;

  const step =
    (name: string, run: (p: { sessionId: string; taskToken?: string }, s: SessionScript) => unknown): StepHandler =>
    async (payload) => {
      const p = payload as { sessionId: string; taskToken?: string };
      calls.set(p.sessionId, [...(calls.get(p.sessionId) ?? []), name]);
      return run(p, scripts.get(p.sessionId) ?? {});
    };
  const received = new EventEmitter().setMaxListeners(0);
  const keepToken = (p: { sessionId: string; taskToken?: string }) => {
    tokens.set(p.sessionId, [...(tokens.get(p.sessionId) ?? []), p.taskToken!]);
    received.emit('token');
  };

  const handlers: Record<string, StepHandler> = {
    awaitDecision: step('awaitDecision', async (p, s) => {
      // An INSTANT booking needs no decision: the real step ends the wait at once.
      if (modes.get(p.sessionId) === 'INSTANT') {
        await client!.send(new SendTaskSuccessCommand({ taskToken: p.taskToken!, output: JSON.stringify({ decision: 'INSTANT' }) }));
        return { status: 'SCHEDULED', paymentStatus: 'PENDING' };
      }
      keepToken(p);
      if (s.decision === 'REJECTED') await client!.send(new SendTaskFailureCommand({ taskToken: p.taskToken!, error: 'RequestRejected', cause: 'Not available' }));
      return { status: 'PENDING_MENTOR_REVIEW' };
    }),
    expireRequest: step('expireRequest', () => ({ status: 'REJECTED', paymentStatus: 'PENDING' })),
    preparePayment: step('preparePayment', (_p, s) => ({ status: 'SCHEDULED', paymentStatus: 'PENDING', timeoutSeconds: s.paymentTimeoutSeconds ?? LONG })),
    awaitPayment: step('awaitPayment', (p) => {
      keepToken(p);
      return { status: 'SCHEDULED', paymentStatus: 'PENDING' };
    }),
    cancelUnpaid: step('cancelUnpaid', () => ({ status: 'CANCELLED', paymentStatus: 'PENDING' })),
    releaseOnError: step('releaseOnError', () => ({ status: 'CANCELLED', paymentStatus: 'PENDING' })),
    // The confirmation makes the meeting: it fails like the provider would, as scripted.
    confirmBooking: step('confirmBooking', (p, s) => {
      const attempts = calls.get(p.sessionId)!.filter((c) => c === 'confirmBooking').length;
      if (attempts <= (s.meetingFailures ?? 0)) throw Object.assign(new Error('The meeting provider is down'), { name: 'MeetingProviderError' });
      return { meetingUrl: 'https://meet.example.com/abc' };
    }),
    meetingFallback: step('meetingFallback', () => ({ status: 'SCHEDULED', paymentStatus: 'PAID' })),
  };

  return {
    handlers,
    calls,
    tokens,
    script: (sessionId, s) => void scripts.set(sessionId, { ...scripts.get(sessionId), ...s }),
    token: (sessionId, n = 1, timeoutMs = 10_000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const t = tokens.get(sessionId)?.[n - 1];
          if (!t) return;
          clearTimeout(timer);
          received.off('token', check);
          resolve(t);
        };
        const timer = setTimeout(() => {
          received.off('token', check);
          reject(new Error(`No task token #${n} for ${sessionId} within ${timeoutMs} ms (calls: ${calls.get(sessionId)?.join(', ') ?? 'none'})`));
        }, timeoutMs);
        received.on('token', check);
        check();
      }),
    useClient: (c) => {
      client = c;
    },
  };
};

export const sfnClient = (endpoint: string): SFNClient =>
  new SFNClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

/** The input the application starts each execution with; the decision wait's backstop is long unless given. */
export const workflowInput = (sessionId: string, bookingMode: 'INSTANT' | 'REQUEST', approvalTimeoutSeconds = LONG) => {
  if (!modes.has(sessionId)) modes.set(sessionId, bookingMode);
  return JSON.stringify({ sessionId, bookingMode, approvalTimeoutSeconds });
};

/**
 * The local service with fake steps for one test file, on the file's own table: started before
 * its tests, stopped after them (before the table goes: afterAll hooks run in the order they
 * are declared). `service` and `sfn` are set once the service is up.
 */
export const useFakeWorkflowService = (timeScale: number) => {
  const harness = { steps: fakeSteps() } as { steps: FakeSteps; service: LocalWorkflowService; sfn: SFNClient };
  afterAll(async () => {
    await harness.service?.stop();
    harness.sfn?.destroy();
  });
  useTestTable();
  beforeAll(async () => {
    harness.service = await startLocalWorkflowService({ port: 0, timeScale, handlers: harness.steps.handlers, exportEnv: false });
    harness.sfn = sfnClient(harness.service.endpoint);
    harness.steps.useClient(harness.sfn);
  });
  return harness;
};
