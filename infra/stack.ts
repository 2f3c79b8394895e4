/**
 * The whole backend as one stack: the table, the user directory, the HTTP API with a
 * function per route. Environment-agnostic (no account or region lookups), so it
 * synthesizes offline; the region is `AWS::Region` at deploy time.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BookingApi } from './constructs/booking-api';
import { BookingTable } from './constructs/booking-table';
import { UserDirectory } from './constructs/user-directory';

export const DEFAULT_ALLOWED_ORIGINS = ['http://localhost:5173', 'http://localhost:3000'];

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

    new CfnOutput(this, 'HttpApiUrl', { value: this.api.httpApi.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
  }
}
