/**
 * The booking workflow as the rest of the code sees it: start one execution per session,
 * and resume a waiting execution with its task token. Locally AWS_ENDPOINT_URL_SFN points
 * the same client at the local Step Functions service.
 */
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { stateMachineArn } from '../config';
import type { Session } from '../domain/session';
import { approvalBackstop, secondsUntil } from '../domain/timeline';
import { logger } from '../observability/logger';
import { WORKFLOW_OUTCOMES } from '../workflow/definition';

const sfn = new SFNClient({});

/** Error names the workflow definition catches after a failed wait. */
export const WORKFLOW_ERRORS = WORKFLOW_OUTCOMES;

/** The input of every execution. */
export interface WorkflowInput {
  sessionId: string;
  bookingMode: Session['bookingMode'];
  /** The decision wait's backstop timeout, from the start (the request's deadline is its EXPIRE schedule). */
  approvalTimeoutSeconds: number;
}

/** What a booking's execution starts with. */
export type WorkflowStart = Pick<Session, 'id' | 'bookingMode' | 'scheduledAt'> & Partial<Pick<Session, 'approvalDeadline'>>;

export const workflowInput = (session: WorkflowStart, now: Date): WorkflowInput => ({
  sessionId: session.id,
  bookingMode: session.bookingMode,
  approvalTimeoutSeconds: secondsUntil(approvalBackstop(session), now),
});

/**
 * A token that timed out, was used already or never existed means the workflow has moved
 * on (deadline passed, duplicate callback): our own write already decided, so it is no error.
 */
const settled = (e: unknown): boolean => e instanceof TaskTimedOut || e instanceof TaskDoesNotExist || e instanceof InvalidToken;

const callback = async (send: () => Promise<unknown>, context: Record<string, string>): Promise<void> => {
  try {
    await send();
  } catch (e) {
    if (!settled(e)) throw e;
    logger.info('Workflow task already settled', { ...context, error: (e as Error).name });
  }
};

export interface BookingWorkflow {
  start(session: WorkflowStart): Promise<void>;
  approved(token: string, sessionId: string): Promise<void>;
  rejected(token: string, sessionId: string, reason: string): Promise<void>;
  paid(token: string, sessionId: string): Promise<void>;
  /** For the workflow's own steps: resume a wait whose outcome was decided before its token was stored. */
  succeed(token: string, output: object): Promise<void>;
  fail(token: string, error: (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS], cause: string): Promise<void>;
  /** Stops the session's execution (a cancelled session has nothing left to wait for). */
  stop(sessionId: string, cause: string): Promise<void>;
}

/** Executions are named after their session, so the ARN follows from the state machine's. */
export const executionArnFor = (sessionId: string): string => `${stateMachineArn().replace(':stateMachine:', ':execution:')}:${sessionId}`;

export const bookingWorkflow: BookingWorkflow = {
  async start(session) {
    const input = workflowInput(session, new Date());
    try {
      // Named after the session: a second start is refused by Step Functions, so it is harmless.
      await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(), name: session.id, input: JSON.stringify(input) }));
    } catch (e) {
      if (!(e instanceof ExecutionAlreadyExists)) throw e;
    }
  },
  approved: (token, sessionId) => callback(() => sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'APPROVED' }) })), { sessionId }),
  rejected: (token, sessionId, reason) =>
    callback(() => sfn.send(new SendTaskFailureCommand({ taskToken: token, error: WORKFLOW_ERRORS.rejected, cause: reason.slice(0, 256) })), { sessionId }),
  paid: (token, sessionId) => callback(() => sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ paid: true }) })), { sessionId }),
  succeed: (token, output) => callback(() => sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })), {}),
  fail: (token, error, cause) => callback(() => sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause: cause.slice(0, 256) })), {}),
  async stop(sessionId, cause) {
    try {
      await sfn.send(new StopExecutionCommand({ executionArn: executionArnFor(sessionId), cause: cause.slice(0, 256) }));
    } catch (e) {
      if (!(e instanceof ExecutionDoesNotExist)) throw e;
    }
  },
};
