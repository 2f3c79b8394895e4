/**
 * How long each function may run, in seconds. Plain numbers (no aws-cdk-lib) so that
 * infra/invoke.ts can give a handler the same deadline locally as the stack gives it in AWS.
 *
 * Route functions answer through API Gateway, whose HTTP API integrations give up after 30 s
 * (a hard limit): no route function may run longer. Most routes are a few DynamoDB calls
 * (cancel and reschedule among them: the workflow and Zoom hear of them through the table stream).
 * The ones that call Paystack wait on it: the client gives each attempt 5 s and makes up to
 * 4 attempts with backoff (shared/integrations/paystack.ts), about 22 s at worst for one call.
 * The Zoom client is alike (5 s per attempt, retries with backoff; shared/integrations/zoom.ts).
 */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;

/** API Gateway's integration timeout for HTTP APIs; no route function may exceed it. */
export const API_INTEGRATION_TIMEOUT_SECONDS = 30;

export const ROUTE_TIMEOUT_SECONDS: Readonly<Partial<Record<string, number>>> = {
  // A Paystack initialize (INSTANT bookings; Proceed to Payment). 15 s covers the usual
  // call and a retry or two; a Paystack outage beyond that is a 5xx the student can retry
  // (the reference makes a repeated initialize safe).
  createSession: 15,
  startPayment: 15,
  // Verify a charge before trusting the event, or list the transaction's refunds (and close a
  // session refunded in full: the workflow, Zoom): the most third-party time of any route. 30 s is all API Gateway allows. Trade-off: if Paystack is slow enough to use it
  // all, API Gateway answers 503 at 30 s even though the function may still finish; Paystack
  // then redelivers the webhook, and the handler is idempotent (a duplicate credits nothing),
  // so the late outcome stands and the redelivery only confirms it.
  paystackWebhook: API_INTEGRATION_TIMEOUT_SECONDS,
};

/** The timeout of the function behind a ROUTES `handler`, in seconds. */
export const routeTimeoutSeconds = (handler: string): number => ROUTE_TIMEOUT_SECONDS[handler] ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
