import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';
import { deadLetterAlarm } from './dead-letter-alarm';

export interface EmailProps {
  /** The sender address (From). */
  from: string;
  /** The SES identity to verify and send from: the sender's domain (DKIM records to publish) or the address itself. */
  identity: string;
  /** Verified recipient addresses while the account is in the SES sandbox (SES then authorizes the send on them too). */
  sandboxRecipients: readonly string[];
  table: Table;
  /** The web client (links in emails) and the HTTP API (one-click unsubscribe links). */
  frontendUrl: string;
  apiUrl: string;
  production: boolean;
}

/**
 * Email through Amazon SES v2: the sending identity (a domain, verified by the DKIM CNAME
 * records CloudFormation outputs, or a single address, verified by the link SES mails it),
 * a configuration set every send names (reputation metrics; SES's account-level suppression
 * list for bounces and complaints), and its event destination: bounces and complaints go to
 * an SNS topic (KMS-encrypted: they carry addresses), whose subscriber (functions/email/
 * sesEvents.ts) records the address as suppressed in the table, so our consumer sends it
 * nothing more. A delivery that function keeps failing lands in a dead-letter queue with an alarm.
 *
 * The secret that signs the unsubscribe links is generated here and never rotated: rotating
 * it would break the links in every email already sent.
 *
 * Least privilege: only functions given `grantSend` may send, and only ses:SendEmail from this
 * identity with this configuration set (and, in the sandbox, to the listed recipients).
 */
export class Email extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly eventsTopic: Topic;
  readonly eventsFunction: BookingFunction;
  readonly eventsDeadLetters: Queue;
  readonly linkSecret: Secret;
  private readonly props: EmailProps;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    this.props = props;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: props.identity.includes('@') ? Identity.email(props.identity) : Identity.domain(props.identity),
      configurationSet: this.configurationSet,
    });

    const key = new Key(this, 'EventsKey', {
      description: 'Encrypts the SES bounce and complaint events topic',
      enableKeyRotation: true,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // SES publishes to the encrypted topic: it needs the key for that, and nothing else.
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.eventsTopic = new Topic(this, 'EventsTopic', { displayName: 'SES bounces and complaints', enforceSSL: true, masterKey: key });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.eventsTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.eventsDeadLetters = new Queue(this, 'EventsDeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    NagSuppressions.addResourceSuppressions(this.eventsDeadLetters, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the SES events function; nothing consumes it but operators' },
    ]);
    this.eventsFunction = new BookingFunction(this, 'EventsFunction', {
      entry: path.join(PROJECT_ROOT, 'functions', 'email', 'sesEvents.ts'),
      description: 'SES bounces and complaints: suppress the address',
      deadLetterQueue: this.eventsDeadLetters,
      retryAttempts: 2,
    });
    this.eventsFunction.addEnvironment(ENV.tableName, props.table.tableName);
    props.table.grant(this.eventsFunction, 'dynamodb:PutItem');
    this.eventsTopic.addSubscription(new LambdaSubscription(this.eventsFunction));

    this.linkSecret = new Secret(this, 'LinkSecret', {
      description: 'Signs the one-click unsubscribe links in emails (generated; never rotated: that would break the links already sent)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.linkSecret, [
      { id: 'AwsSolutions-SMG4', reason: 'The key of the unsubscribe links in emails already sent: rotating it would break every one of them' },
    ]);
  }

  /** The ARN of a configuration set or identity of this account and region. */
  private sesArn(resource: 'configuration-set' | 'identity', name: string): string {
    return Stack.of(this).formatArn({ service: 'ses', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** Let `fn` send: ses:SendEmail on this identity and configuration set only, the link secret, and where links point. */
  grantSend(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.emailFrom, this.props.from);
    fn.addEnvironment(ENV.sesConfigurationSet, this.configurationSet.configurationSetName);
    fn.addEnvironment(ENV.frontendUrl, this.props.frontendUrl);
    fn.addEnvironment(ENV.apiUrl, this.props.apiUrl);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          this.identity.emailIdentityArn,
          this.sesArn('configuration-set', this.configurationSet.configurationSetName),
          ...this.props.sandboxRecipients.map((r) => this.sesArn('identity', r)),
        ],
      }),
    );
    this.grantLinks(fn);
  }

  /** Let `fn` build the calendar files of sessions: the sender's domain is their UID's, as in the emailed invites; they link the session page. */
  grantCalendar(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.emailFrom, this.props.from);
    fn.addEnvironment(ENV.frontendUrl, this.props.frontendUrl);
  }

  /** Let `fn` read the key that signs unsubscribe links (the unsubscribe route checks them). */
  grantLinks(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.emailLinkSecretArn, this.linkSecret.secretArn);
    this.linkSecret.grantRead(fn);
  }

  /** Any message in the SES events dead-letter queue (a bounce not recorded) notifies `topic`. */
  alarmOnDeadLetters(topic: ITopic): Alarm {
    return deadLetterAlarm(
      this,
      'EventsDeadLettersAlarm',
      this.eventsDeadLetters,
      topic,
      'An SES bounce or complaint was not recorded (the SES events function gave up): the address may still be written to',
    );
  }
}
