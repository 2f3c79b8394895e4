/**
 * The whole backend as one stack: the table, the user directory, the HTTP API with a
 * function per route, the booking workflow (a Step Functions state machine with a function
 * per step), the Paystack secret. Environment-agnostic (no account or region lookups), so it
 * synthesizes offline; the region is `AWS::Region` at deploy time.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_PAYSTACK_BASE_URL } from '../shared/config';
import { ROUTES } from '../shared/http/routes';
import { BookingApi } from './constructs/booking-api';
import { BookingTable } from './constructs/booking-table';
import { BookingWorkflow, type WorkflowAccess } from './constructs/booking-workflow';
import { Paystack } from './constructs/paystack';
import { UserDirectory } from './constructs/user-directory';
import { API_INTEGRATION_TIMEOUT_SECONDS, ROUTE_TIMEOUT_SECONDS } from './timeouts';

export const DEFAULT_ALLOWED_ORIGINS = ['http://localhost:5173', 'http://localhost:3000'];
export const DEFAULT_FRONTEND_URL = 'http://localhost:5173';

/**
 * Which HTTP handlers (ROUTES' `handler`) use the booking workflow, and how: `start` starts
 * the execution of a new booking, `callback` resumes a waiting one with its task token.
 * Each gets STATE_MACHINE_ARN and exactly that permission; handlers not listed get neither.
 */
export const WORKFLOW_ACCESS: Readonly<Record<string, WorkflowAccess>> = {
  createSession: 'start',
  approveSession: 'callback',
  rejectSession: 'callback',
  // A verified charge.success resumes the execution waiting for the payment (bookingWorkflow.paid).
  paystackWebhook: 'callback',
};

/**
 * Which HTTP handlers call Paystack: createSession (an INSTANT booking opens a transaction),
 * startPayment (Proceed to Payment), paystackWebhook (verify, refund). Each gets the Paystack
 * secret's ARN, PAYSTACK_BASE_URL, FRONTEND_URL and read access to that secret; no other
 * function can read it.
 */
export const PAYSTACK_HANDLERS: readonly string[] = ['createSession', 'startPayment', 'paystackWebhook'];

export interface MentorshipStackProps extends StackProps {
  /** `dev`, `staging`, `prod`…; `prod` turns on deletion protection. */
  stage: string;
  /** Browser origins for CORS. Default: the local front-end dev servers. */
  allowedOrigins?: string[];
  /** Paystack's API. Default: the live API, https://api.paystack.co. */
  paystackBaseUrl?: string;
  /** The front end Paystack sends students back to after checkout. Default: http://localhost:5173. */
  frontendUrl?: string;
}

const httpUrl = (name: string, value: string): string => {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
};

/** ROUTE_TIMEOUT_SECONDS as Durations; none may exceed what API Gateway waits for. */
const routeTimeouts = (): Record<string, Duration> => {
  const out: Record<string, Duration> = {};
  for (const [handler, seconds = 0] of Object.entries(ROUTE_TIMEOUT_SECONDS)) {
    if (seconds > API_INTEGRATION_TIMEOUT_SECONDS) {
      throw new Error(`ROUTE_TIMEOUT_SECONDS.${handler} is ${seconds} s; API Gateway gives up after ${API_INTEGRATION_TIMEOUT_SECONDS} s`);
    }
    out[handler] = Duration.seconds(seconds);
  }
  return out;
};

export class MentorshipStack extends Stack {
  readonly table: BookingTable;
  readonly users: UserDirectory;
  readonly api: BookingApi;
  readonly workflow: BookingWorkflow;
  readonly paystack: Paystack;

  constructor(scope: Construct, id: string, props: MentorshipStackProps) {
    super(scope, id, props);
    const production = props.stage === 'prod';

    this.table = new BookingTable(this, 'Data', { deletionProtection: production });
    this.users = new UserDirectory(this, 'Users', { production });
    this.api = new BookingApi(this, 'Api', {
      table: this.table.table,
      allowedOrigins: props.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS,
      jwtIssuer: this.users.issuerUrl,
      jwtAudience: this.users.client.userPoolClientId,
      timeouts: routeTimeouts(),
    });
    this.workflow = new BookingWorkflow(this, 'Workflow', { table: this.table.table });

    for (const [handler, access] of Object.entries(WORKFLOW_ACCESS)) {
      const fn = this.api.functions[handler];
      if (!fn) throw new Error(`WORKFLOW_ACCESS names "${handler}", which is no handler of ROUTES`);
      this.workflow.grant(fn, access);
    }

    this.paystack = new Paystack(this, 'Paystack', {
      baseUrl: httpUrl('paystackBaseUrl', props.paystackBaseUrl ?? DEFAULT_PAYSTACK_BASE_URL),
      frontendUrl: httpUrl('frontendUrl', props.frontendUrl ?? DEFAULT_FRONTEND_URL),
      production,
    });
    for (const handler of PAYSTACK_HANDLERS) {
      const fn = this.api.functions[handler];
      if (!fn) throw new Error(`PAYSTACK_HANDLERS names "${handler}", which is no handler of ROUTES`);
      this.paystack.grant(fn);
    }

    new CfnOutput(this, 'HttpApiUrl', { value: this.api.httpApi.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'StateMachineArn', {
      value: this.workflow.stateMachine.stateMachineArn,
      description: 'The booking workflow (one execution per session, named after the session id)',
    });
    new CfnOutput(this, 'PaystackSecretArn', {
      value: this.paystack.secret.secretArn,
      description:
        'The secret holding the Paystack secret key (created with an empty placeholder). Before taking payments, set it to ' +
        `{"secretKey":"sk_live_…"} or to the plain key: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string '…'`,
    });
    const webhook = ROUTES.find((r) => r.handler === 'paystackWebhook');
    if (webhook) {
      new CfnOutput(this, 'PaystackWebhookUrl', {
        value: `${this.api.httpApi.apiEndpoint}${webhook.path}`,
        description: 'Set as the Webhook URL in the Paystack dashboard (Settings, API Keys & Webhooks)',
      });
    }
  }
}
