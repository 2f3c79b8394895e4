/**
 * The whole backend as one stack: the table, the user directory, the HTTP API with a
 * function per route, the booking workflow (a Step Functions state machine with a function
 * per step). Environment-agnostic (no account or region lookups), so it
 * synthesizes offline; the region is `AWS::Region` at deploy time.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BookingApi } from './constructs/booking-api';
import { BookingTable } from './constructs/booking-table';
import { BookingWorkflow, type WorkflowAccess } from './constructs/booking-workflow';
import { UserDirectory } from './constructs/user-directory';

export const DEFAULT_ALLOWED_ORIGINS = ['http://localhost:5173', 'http://localhost:3000'];

/**
 * Which HTTP handlers (ROUTES' `handler`) use the booking workflow, and how: `start` starts
 * the execution of a new booking, `callback` resumes a waiting one with its task token.
 * Each gets STATE_MACHINE_ARN and exactly that permission; handlers not listed get neither.
 */
export const WORKFLOW_ACCESS: Readonly<Record<string, WorkflowAccess>> = {
  createSession: 'start',
  approveSession: 'callback',
  rejectSession: 'callback',
};

export interface MentorshipStackProps extends StackProps {
  /** `dev`, `staging`, `prod`…; `prod` turns on deletion protection. */
  stage: string;
  /** Browser origins for CORS. Default: the local front-end dev servers. */
  allowedOrigins?: string[];
}

export class MentorshipStack extends Stack {
  readonly table: BookingTable;
  readonly users: UserDirectory;
  readonly api: BookingApi;
  readonly workflow: BookingWorkflow;

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
    });
    this.workflow = new BookingWorkflow(this, 'Workflow', { table: this.table.table });

    for (const [handler, access] of Object.entries(WORKFLOW_ACCESS)) {
      const fn = this.api.functions[handler];
      if (!fn) throw new Error(`WORKFLOW_ACCESS names "${handler}", which is no handler of ROUTES`);
      this.workflow.grant(fn, access);
    }

    new CfnOutput(this, 'HttpApiUrl', { value: this.api.httpApi.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'StateMachineArn', {
      value: this.workflow.stateMachine.stateMachineArn,
      description: 'The booking workflow (one execution per session, named after the session id)',
    });
  }
}
