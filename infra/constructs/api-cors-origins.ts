import { Stack } from 'aws-cdk-lib';
import type { CfnApi, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface ApiCorsOriginsProps {
  httpApi: HttpApi;
  /** Origins to allow besides the API's own list; may be tokens (e.g. a CloudFront distribution's URL). */
  origins: string[];
}

/**
 * Adds origins to the HTTP API's CORS configuration after the API exists. The web client's
 * CloudFront origin cannot be in the API's own template: the distribution's content security
 * policy names the API, so the API naming the distribution would be a dependency cycle.
 * CloudFormation creates the API with the configured origins, then this sets the whole CORS
 * configuration (the template's, plus `origins`) with UpdateApi; deleting it puts the
 * template's back. Its parameters carry the whole configuration, so a change to the API's
 * origins runs it again (after the API's own update, which it depends on).
 */
export class ApiCorsOrigins extends Construct {
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: ApiCorsOriginsProps) {
    super(scope, id);
    const cfnApi = props.httpApi.node.defaultChild as CfnApi;
    const template = cfnApi.corsConfiguration as CfnApi.CorsProperty | undefined;
    if (!template) throw new Error('ApiCorsOrigins: the HTTP API has no CORS configuration to add origins to');
    // UpdateApi's CorsConfiguration, with the template's values.
    const cors = (allowOrigins: string[]) => ({
      AllowOrigins: allowOrigins,
      AllowHeaders: template.allowHeaders,
      AllowMethods: template.allowMethods,
      ...(template.allowCredentials !== undefined ? { AllowCredentials: template.allowCredentials } : {}),
      ...(template.exposeHeaders ? { ExposeHeaders: template.exposeHeaders } : {}),
      ...(template.maxAge !== undefined ? { MaxAge: template.maxAge } : {}),
    });
    const update = (allowOrigins: string[]): AwsSdkCall => ({
      service: 'ApiGatewayV2',
      action: 'UpdateApi',
      parameters: { ApiId: props.httpApi.apiId, CorsConfiguration: cors(allowOrigins) },
      physicalResourceId: PhysicalResourceId.of(`${props.httpApi.apiId}-cors`),
    });
    const own = template.allowOrigins ?? [];
    const stack = Stack.of(this);
    this.resource = new AwsCustomResource(this, 'Update', {
      onCreate: update([...own, ...props.origins]),
      onUpdate: update([...own, ...props.origins]),
      onDelete: update(own),
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['apigateway:PATCH'], resources: [`arn:${stack.partition}:apigateway:${stack.region}::/apis/${props.httpApi.apiId}`] }),
      ]),
      installLatestAwsSdk: false,
    });
  }
}
