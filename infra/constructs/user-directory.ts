import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  ManagedLoginVersion,
  OAuthScope,
  UserPool,
  UserPoolClientIdentityProvider,
  UserPoolOperation,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { ROLES } from '../../shared/domain/caller';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';

export interface UserDirectoryProps {
  /** Production: refuse deleting the pool, and keep it when the stack goes. */
  production: boolean;
  /** The table the post-confirmation trigger writes the new student's user item to. */
  table: ITable;
  /** The managed login's domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  domainPrefix: string;
  /** Where managed login may send the browser back with a code (the web app's /auth/callback). */
  callbackUrls: string[];
  /** Where it may send the browser after signing out (the web app's home). */
  logoutUrls: string[];
}

const GROUP_DESCRIPTIONS: Record<(typeof ROLES)[number], string> = {
  student: 'Books sessions with tutors',
  tutor: 'Offers sessions; approves or rejects requests',
  admin: 'Operates the platform',
};

/**
 * Cognito: the user pool (self sign-up, sign-in with email, the `name` standard attribute),
 * one group per role in `ROLES` (roles reach the handlers as the ID token's `cognito:groups`),
 * managed login on a Cognito domain, and the web client: public (no secret), the
 * authorization code grant (the browser adds PKCE) with the `openid email profile` scopes and
 * refresh tokens, plus SRP for a frontend with its own sign-in form. A confirmed sign-up runs
 * the post-confirmation trigger, which makes the user a student (functions/cognito).
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** The post-confirmation trigger. */
  readonly postConfirmation: BookingFunction;
  /** The JWT issuer API Gateway checks tokens against, and the OpenID Connect authority of the web app. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        // `fullname` is CDK's name for the OIDC standard attribute `name`.
        fullname: { required: true, mutable: true },
      },
      // Cognito's defaults, stated (cdk-nag COG1 checks the template).
      passwordPolicy: { minLength: 8, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.production,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        // Code only: the implicit grant would put tokens in the URL. Cognito takes the PKCE
        // challenge of a public client and checks its verifier at the token endpoint.
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // The browser renews its ID token with the refresh token (a new tutor's role arrives then).
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login serves a client's pages once the client has a style: Cognito's own.
    new CfnManagedLoginBranding(this, 'WebClientBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `${role}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: GROUP_DESCRIPTIONS[role],
      });
    }

    this.postConfirmation = new BookingFunction(this, 'PostConfirmationFunction', {
      entry: path.join(PROJECT_ROOT, 'functions/cognito/postConfirmation.ts'),
      description: 'Cognito post-confirmation: a confirmed sign-up becomes a student (postConfirmation)',
      environment: { [ENV.tableName]: props.table.tableName },
    });
    this.userPool.addTrigger(UserPoolOperation.POST_CONFIRMATION, this.postConfirmation);
    // signUp's conditional Put of the user item (and the read of an existing one), in user partitions only.
    this.postConfirmation.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:GetItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } },
      }),
    );
    // The pool names the function as its trigger, so the function cannot depend on the pool: a
    // policy of its own (which the function does not wait for, unlike its default policy) grants
    // the group change on this pool only, without a dependency cycle.
    new Policy(this, 'PostConfirmationGroupPolicy', {
      roles: [this.postConfirmation.role!],
      statements: [new PolicyStatement({ actions: ['cognito-idp:AdminAddUserToGroup'], resources: [this.userPool.userPoolArn] })],
    });
    this.issuerUrl = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** Lets `fn` add users to groups of this pool (approving an application to tutor), and tells it the pool. */
  grantGroupChanges(fn: BookingFunction): void {
    fn.addEnvironment(ENV.userPoolId, this.userPool.userPoolId);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['cognito-idp:AdminAddUserToGroup'], resources: [this.userPool.userPoolArn] }));
  }
}
