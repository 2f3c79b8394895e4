import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/http/auth';

export interface UserDirectoryProps {
  /** Production: refuse deleting the pool, and keep it when the stack goes. */
  production: boolean;
}

const GROUP_DESCRIPTIONS: Record<(typeof ROLES)[number], string> = {
  student: 'Books sessions with tutors',
  tutor: 'Offers sessions; approves or rejects requests',
  admin: 'Operates the platform',
};

/**
 * Cognito: the user pool (self sign-up, sign-in with email, the `name` standard attribute),
 * the web client (public: no secret; SRP and password flows; no OAuth/hosted UI), and one group per role in
 * `ROLES`. Roles reach the handlers as the ID token's `cognito:groups` claim.
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The JWT issuer API Gateway checks tokens against. */
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
      // The front end signs in with SRP (Amplify-style), not through the hosted UI.
      disableOAuth: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `${role}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: GROUP_DESCRIPTIONS[role],
      });
    }
    this.issuerUrl = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
