/**
 * The booking workflow in Amazon States Language, the one definition CDK deploys and the local
 * runner executes: one execution per booking, up to its confirmation (REQUEST: decision →
 * payment → confirmation; INSTANT: payment → confirmation). The approval deadline and the
 * session's timeline (reminders, start, end) are one-time schedules (shared/usecases/
 * timeline.ts), not states: the decision wait's timeout is only a backstop. Every state entered
 * is a billed transition, so the waits' own steps settle a wait whose answer is known already
 * instead of Choice states; the transitions per path are asserted in
 * test/workflow/booking-workflow.test.ts. README's "Booking workflow" section has the operator's detail.
 */
export const WORKFLOW_STEPS = ['awaitDecision', 'expireRequest', 'preparePayment', 'awaitPayment', 'cancelUnpaid', 'releaseOnError', 'confirmBooking', 'meetingFallback'] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** Error names a callback sends with SendTaskFailure to end a wait with an answer. */
export const WORKFLOW_OUTCOMES = { rejected: 'RequestRejected', closed: 'BookingClosed', rescheduled: 'BookingRescheduled' } as const;

/**
 * The error a step throws when it must ask Paystack whether a booking was paid before
 * releasing it, and Paystack cannot be asked (shared/usecases/workflow-steps/release-unpaid.ts): retried for
 * longer than other failures, then the execution ends in the state of the same name.
 */
export const PAYMENT_UNVERIFIED = 'PaymentUnverified';

/** The placeholder a Task state uses for a step's function ARN. */
export const stepPlaceholder = (step: WorkflowStep): string => `${step}FunctionArn`;

/** The handler module of a step: `functions/workflow/<step>.ts`, exporting `handler`. */
export const stepEntry = (step: WorkflowStep): string => `functions/workflow/${step}.ts`;

/** Retries for any task that calls out: the Lambda service's own errors and our handlers' failures. */
const retry = (maxAttempts = 4) => [
  {
    ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'States.TaskFailed'],
    IntervalSeconds: 2,
    MaxAttempts: maxAttempts,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

/**
 * Paystack unreachable while a step must ask it: a blip should not reach an operator, so the
 * step is tried 7 times over up to ~17 minutes (capped exponential backoff, full jitter), and
 * each failed try stays visible in the execution's history. Listed before `retry()`, whose
 * States.TaskFailed would match it too (the first matching retrier is the one used).
 */
const paymentCheckRetry = {
  ErrorEquals: [PAYMENT_UNVERIFIED],
  IntervalSeconds: 30,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 300,
  JitterStrategy: 'FULL',
};

const arn = (step: WorkflowStep) => `\${${stepPlaceholder(step)}}`;

/** A plain Lambda task: its input is the state's data, its result goes to `resultPath`; `next` null: the execution ends after it. */
const task = (step: WorkflowStep, resultPath: string | null, next: string | null, onError: string, extra: object = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: arn(step), 'Payload.$': '$' },
  ResultSelector: { 'value.$': '$.Payload' },
  ResultPath: resultPath,
  OutputPath: '$',
  Retry: retry(),
  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: onError }],
  ...(next === null ? { End: true } : { Next: next }),
  ...extra,
});

/**
 * A callback task: the function stores the token; a callback (or the function itself)
 * resumes it. `payload` adds what the wait was planned for (the preparing step's whole
 * result, which is always there: a missing field would be a States.Runtime error), so the
 * function can tell that the session changed before its token was stored. `next` null: the
 * wait's success ends the execution.
 */
const waitForToken = (step: WorkflowStep, timeoutSecondsPath: string, resultPath: string, next: string | null, catches: object[], payload: Record<string, string> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: arn(step), Payload: { 'sessionId.$': '$.sessionId', 'taskToken.$': '$$.Task.Token', ...payload } },
  TimeoutSecondsPath: timeoutSecondsPath,
  ResultPath: resultPath,
  // States.TaskFailed also matches the outcomes sent with SendTaskFailure: those are answers, not faults.
  Retry: [{ ErrorEquals: [WORKFLOW_OUTCOMES.rejected, WORKFLOW_OUTCOMES.closed, WORKFLOW_OUTCOMES.rescheduled], MaxAttempts: 0 }, ...retry()],
  Catch: catches,
  ...(next === null ? { End: true } : { Next: next }),
});

export const bookingDefinition = () => ({
  Comment: 'One execution per booking, named after the session id: decision, payment, meeting, confirmation.',
  StartAt: 'AwaitDecision',
  States: {
    // ── Decision ────────────────────────────────────────────────────────────────
    // Every booking starts here; awaitDecision ends the wait at once for an INSTANT booking
    // or a request decided already. The request's deadline is its EXPIRE schedule, which ends
    // the wait as Closed; the timeout (in the execution's input) is a backstop past it.
    AwaitDecision: waitForToken('awaitDecision', '$.approvalTimeoutSeconds', '$.decision', 'PreparePayment', [
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'ExpireRequest' },
      { ErrorEquals: [WORKFLOW_OUTCOMES.rejected], ResultPath: '$.error', Next: 'Rejected' },
      { ErrorEquals: [WORKFLOW_OUTCOMES.closed], ResultPath: '$.error', Next: 'Closed' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ReleaseOnError' },
    ]),
    // The EXPIRE schedule never ran: the request expires now, unless the approval's write came first.
    ExpireRequest: task('expireRequest', '$.approval', 'AfterExpiry', 'ReleaseOnError'),
    AfterExpiry: {
      Type: 'Choice',
      Choices: [{ Variable: '$.approval.value.status', StringEquals: 'SCHEDULED', Next: 'PreparePayment' }],
      Default: 'Closed',
    },
    Rejected: { Type: 'Succeed', Comment: 'The tutor rejected the request.' },

    // ── Payment ─────────────────────────────────────────────────────────────────
    // A session paid or closed already is no Choice here: awaitPayment settles that wait at once.
    PreparePayment: task('preparePayment', '$.payment', 'AwaitPayment', 'ReleaseOnError'),
    AwaitPayment: waitForToken(
      'awaitPayment',
      '$.payment.value.timeoutSeconds',
      '$.paid',
      'ConfirmBooking',
      [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'CancelUnpaid' },
        { ErrorEquals: [WORKFLOW_OUTCOMES.closed], ResultPath: '$.error', Next: 'Closed' },
        { ErrorEquals: [WORKFLOW_OUTCOMES.rescheduled], ResultPath: '$.error', Next: 'PreparePayment' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ReleaseOnError' },
      ],
      { 'planned.$': '$.payment.value' },
    ),
    // Asks Paystack first: a charge our webhook never credited is confirmed here (PAID → confirmation).
    CancelUnpaid: task('cancelUnpaid', '$.cancellation', 'AfterCancellation', 'ReleaseOnError', {
      Retry: [paymentCheckRetry, ...retry()],
      Catch: [
        { ErrorEquals: [PAYMENT_UNVERIFIED], ResultPath: '$.error', Next: 'PaymentUnverified' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ReleaseOnError' },
      ],
    }),
    AfterCancellation: {
      Type: 'Choice',
      Choices: [{ Variable: '$.cancellation.value.paymentStatus', StringEquals: 'PAID', Next: 'ConfirmBooking' }],
      Default: 'Closed',
    },

    // ── After payment ───────────────────────────────────────────────────────────
    // Meeting and confirmation in one step (each part idempotent, so a retry redoes only what
    // is left); Zoom's failures are retried here, then MeetingFallback confirms without one.
    ConfirmBooking: task('confirmBooking', '$.confirmed', null, 'MeetingFallback', {
      Retry: [{ ...retry(5)[0], IntervalSeconds: 3 }],
    }),
    MeetingFallback: task('meetingFallback', '$.confirmed', null, 'NeedsOperator'),

    // ── Ends ────────────────────────────────────────────────────────────────────
    Closed: { Type: 'Succeed', Comment: 'The session was closed (rejected, expired or cancelled) by someone else.' },
    // Asks Paystack first, as CancelUnpaid does: a booking found paid is not released.
    ReleaseOnError: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: arn('releaseOnError'), 'Payload.$': '$' },
      ResultSelector: { 'value.$': '$.Payload' },
      ResultPath: '$.release',
      Retry: [paymentCheckRetry, ...retry()],
      Catch: [
        { ErrorEquals: [PAYMENT_UNVERIFIED], ResultPath: '$.releaseError', Next: 'PaymentUnverified' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.releaseError', Next: 'BookingFailed' },
      ],
      Next: 'AfterRelease',
    },
    AfterRelease: {
      Type: 'Choice',
      Choices: [{ Variable: '$.release.value.paymentStatus', StringEquals: 'PAID', Next: 'NeedsOperator' }],
      Default: 'BookingFailed',
    },
    BookingFailed: { Type: 'Fail', Error: 'BookingFailed', Cause: 'A step failed before payment; the unpaid booking was released.' },
    NeedsOperator: { Type: 'Fail', Error: 'NeedsOperator', Cause: 'A step failed after payment; the session is paid and needs a look.' },
    PaymentUnverified: {
      Type: 'Fail',
      Error: PAYMENT_UNVERIFIED,
      Cause:
        'The booking was to be released unpaid, but Paystack could not be asked whether it was paid: the slot is kept. ' +
        "Look the session's payment reference up in Paystack, then cancel the booking as an admin: a payment our records hold is refunded by the cancellation, one they do not from Paystack's dashboard.",
    },
  },
});

export type BookingDefinition = ReturnType<typeof bookingDefinition>;
