/**
 * cdk-nag AwsSolutions findings this stack accepts, each with its reason (infra/nag.test.ts
 * runs the checks and asserts no other error). Wildcard (IAM5) suppressions name the exact
 * resource patterns they cover, so a new wildcard is still reported.
 */
import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { BookingApi } from './constructs/booking-api';
import type { BookingWebSocket } from './constructs/booking-websocket';
import type { Monitoring } from './constructs/monitoring';
import type { Paystack } from './constructs/paystack';
import type { UserDirectory } from './constructs/user-directory';
import type { WebHosting } from './constructs/web-hosting';
import type { Zoom } from './constructs/zoom';

export interface NagTargets {
  api: BookingApi;
  webSocket: BookingWebSocket;
  users: UserDirectory;
  paystack: Paystack;
  zoom: Zoom;
  monitoring: Monitoring;
  web?: WebHosting;
}

const route = (api: BookingApi, handler: string): IConstruct =>
  api.routes[handler] ??
  (() => {
    throw new Error(`No route for handler "${handler}"`);
  })();

export const suppressNagFindings = (stack: Stack, t: NagTargets): void => {
  // `true`: also in the nested stack of the route functions (constructs/booking-api.ts), whose roles have the same reasons.
  NagSuppressions.addStackSuppressions(
    stack,
    [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaBasicExecutionRole: the managed policy Lambda needs to write its own log group; nothing broader',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Resource * only for actions that cannot be scoped: X-Ray PutTraceSegments/PutTelemetryRecords (tracing) and the ' +
          'CloudWatch Logs log-delivery actions of the state machine role (logs:CreateLogDelivery etc. take no resource)',
        appliesTo: ['Resource::*'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'grantReadWriteData on the one table includes its own indexes (<table ARN>/index/*), which the queries use',
        // In the nested stack the table's ARN is a parameter: `<referenceto<stack>DataTable…Arn>`.
        appliesTo: [{ regex: '/^Resource::<(referenceto\\w*?)?DataTable[0-9A-F]+\\.?Arn>\\/index\\/\\*$/' }],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'The state machine role invokes its step functions; `<function ARN>:*` is only the version/alias qualifier',
        appliesTo: [{ regex: '/^Resource::<Workflow\\w+Function[0-9A-F]+\\.Arn>:\\*$/' }],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Posting to WebSocket connections: connection ids are only known at run time; scoped to this API and stage',
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<WebSocketApi[0-9A-F]+>\\/\\S+\\/\\*\\/@connections\\/\\*$/' }],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'cancelSession and the Paystack webhook (a session refunded in full) stop a booking’s execution: execution names are only known at run time; scoped to this state machine’s executions',
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*WorkflowStateMachine.*:\\*$/' }],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "The timeline's schedules are named after their session (<sessionId>-<STEP>), known only at run time: create, update and delete are scoped to the schedules of the timeline's group",
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule\\/.+\\/\\*$/' }],
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is deliberate: package.json engines, the esbuild target and the local stack run 22; moving to 24 is its own change',
      },
    ],
    true,
  );

  NagSuppressions.addResourceSuppressions(route(t.api, 'paystackWebhook'), [
    { id: 'AwsSolutions-APIG4', reason: 'Paystack calls the webhook without a JWT; every request is verified by its HMAC-SHA512 x-paystack-signature' },
  ]);
  NagSuppressions.addResourceSuppressions(route(t.api, 'emailUnsubscribe'), [
    {
      id: 'AwsSolutions-APIG4',
      reason: 'One-click unsubscribe (RFC 8058): mail clients POST the link without signing in; the HMAC-signed token in the URL names the user and the kind',
    },
  ]);
  NagSuppressions.addResourceSuppressions(route(t.api, 'zoomWebhook'), [
    {
      id: 'AwsSolutions-APIG4',
      reason: 'Zoom calls the webhook without a JWT; every request is verified by its HMAC-SHA256 x-zm-signature over a timestamp no more than 5 minutes old',
    },
  ]);
  NagSuppressions.addResourceSuppressions(route(t.api, 'health'), [{ id: 'AwsSolutions-APIG4', reason: 'The health check is public by design and returns no data' }]);
  for (const key of ['$disconnect', '$default']) {
    NagSuppressions.addResourceSuppressions(t.webSocket.api.node.findChild(`${key}-Route`), [
      { id: 'AwsSolutions-APIG4', reason: 'WebSocket APIs authorize only $connect (Lambda authorizer on the JWT); later messages ride that connection' },
    ]);
  }

  NagSuppressions.addResourceSuppressions(t.users.userPool, [
    { id: 'AwsSolutions-COG8', reason: 'The Plus feature plan (threat protection) is billed per active user; a business decision, not enabled yet' },
  ]);
  for (const secret of [t.paystack.secret, t.zoom.secret]) {
    NagSuppressions.addResourceSuppressions(secret, [
      { id: 'AwsSolutions-SMG4', reason: 'Third-party credentials (Paystack key, Zoom app) are rotated in the vendor’s dashboard, then put here; no rotation Lambda can do it' },
    ]);
  }
  NagSuppressions.addResourceSuppressions(t.monitoring.topic, [
    {
      id: 'AwsSolutions-SNS2',
      reason: 'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed aws/sns key; alarm texts carry no customer data; TLS is enforced (SNS3)',
    },
  ]);
  if (t.web) suppressWebFindings(stack, t.web);
};

const suppressWebFindings = (stack: Stack, web: WebHosting): void => {
  NagSuppressions.addResourceSuppressions(web.distribution, [
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'No custom domain: the distribution serves *.cloudfront.net with CloudFront’s default certificate, whose security policy CloudFront sets (the minimum TLS version applies only to a certificate of our own)',
    },
    { id: 'AwsSolutions-CFR1', reason: 'Students and tutors may be anywhere; the app is static files, and who may pay is Paystack’s decision' },
    {
      id: 'AwsSolutions-CFR2',
      reason: 'Static files only (GET and HEAD, no origin logic); the APIs behind the app have their own throttling. A web ACL is the operator’s cost decision',
    },
  ]);
  // CDK's BucketDeployment: one function per stack (per memory size), copying the built app from the asset bucket.
  const deployers = stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (deployers.length === 0) throw new Error('No BucketDeployment function in the stack');
  NagSuppressions.addResourceSuppressions(
    deployers,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'CDK’s BucketDeployment copies the built web client from the CDK asset bucket into the site bucket: read on the assets’ objects, write and delete (pruning the previous build) on the site bucket’s objects, nothing else',
        appliesTo: [
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:DeleteObject*',
          'Action::s3:Abort*',
          'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
          { regex: '/^Resource::<WebSite[0-9A-F]+\\.Arn>\\/\\*$/' },
        ],
      },
    ],
    true,
  );
};
