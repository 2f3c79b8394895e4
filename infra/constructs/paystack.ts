import { RemovalPolicy } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';

export interface PaystackProps {
  /** Paystack's API, e.g. `https://api.paystack.co`. */
  baseUrl: string;
  /** The front end; Paystack's callback_url (after checkout) points into it. */
  frontendUrl: string;
  /** Production: keep the secret when the stack is deleted. */
  production: boolean;
}

/** Told to the operator on the secret and on its output. */
export const PAYSTACK_SECRET_INSTRUCTIONS =
  'Paystack secret key for the mentorship backend. After the first deploy, set the secret value to ' +
  '{"secretKey":"<your Paystack secret key>"} or to the plain key (Secrets Manager console, or ' +
  '`aws secretsmanager put-secret-value --secret-id <PaystackSecretArn> --secret-string ...`). ' +
  'Until then, calls to Paystack fail: the placeholder has an empty secretKey.';

/**
 * What the functions that call Paystack need: the Secrets Manager secret holding the Paystack
 * secret key, and where Paystack and the front end are.
 *
 * The key is never in the template or in an environment variable: the stack creates the secret
 * with a generated placeholder, `{"secretKey":"","placeholder":"<random>"}` (an empty key, so
 * the functions fail with "The Paystack secret has no secretKey field" rather than calling
 * Paystack with a made-up key), and the operator puts the real key in it once. The functions get
 * the secret's ARN and read it at run time (shared/integrations/paystack.ts, once per container).
 * Later deploys do not touch the value: the generation settings are what CloudFormation sees.
 */
export class Paystack extends Construct {
  readonly secret: Secret;
  readonly baseUrl: string;
  readonly frontendUrl: string;

  constructor(scope: Construct, id: string, props: PaystackProps) {
    super(scope, id);
    this.baseUrl = props.baseUrl;
    this.frontendUrl = props.frontendUrl;
    this.secret = new Secret(this, 'Secret', {
      description: PAYSTACK_SECRET_INSTRUCTIONS,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ secretKey: '' }),
        generateStringKey: 'placeholder',
        excludePunctuation: true,
      },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }

  /** Let `fn` call Paystack: the secret's ARN, the base and front-end URLs, and read access to that one secret. */
  grant(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.paystackSecretArn, this.secret.secretArn);
    fn.addEnvironment(ENV.paystackBaseUrl, this.baseUrl);
    fn.addEnvironment(ENV.frontendUrl, this.frontendUrl);
    this.secret.grantRead(fn);
  }
}
