/**
 * cdk-nag's AWS Solutions checks over the synthesized stack (bundling skipped): no
 * unsuppressed error. Every suppression names its rule and why (infra/nag.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aspects } from 'aws-cdk-lib';
import { cdkApp } from '../test/support/cdk';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MentorshipStack } from './stack';
import { templatesOf } from '../test/support/templates';

/** The web client hosted from a build (dev) and without one (prod: a placeholder page), as the CDK app hosts it. */
const built = mkdtempSync(join(tmpdir(), 'web-dist-'));
writeFileSync(join(built, 'index.html'), '<!doctype html><title>Mentorship</title>');
const web = (stage: string) => ({ appDir: stage === 'dev' ? built : join(tmpdir(), 'no-such-web-dist') });

const nagged = (stage: string) => {
  const app = cdkApp();
  const stack = new MentorshipStack(app, `Mentorship-${stage}`, { stage, web: web(stage) });
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  return Annotations.fromStack(stack);
};

describe('cdk-nag fixes and suppressions', () => {
  const app = cdkApp();
  const template = templatesOf(new MentorshipStack(app, 'Mentorship-dev', { stage: 'dev', web: web('dev') })).all;
  const suppressed = (type: string, rule: string) =>
    Object.values(template.findResources(type)).filter((r) => ((r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string }[]).some((s) => s.id === rule));

  it('states the password policy (COG1) instead of suppressing it', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { PasswordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
  });

  it('accepts no authorization (APIG4) on exactly the health route, the Paystack and Zoom webhooks, the one-click unsubscribe and the WebSocket $disconnect and $default', () => {
    const routes = suppressed('AWS::ApiGatewayV2::Route', 'AwsSolutions-APIG4')
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(routes).toEqual(['$default', '$disconnect', 'GET /health', 'POST /email/unsubscribe', 'POST /webhooks/paystack', 'POST /webhooks/zoom']);
  });

  it('accepts no secret rotation (SMG4) on the two vendor secrets and the unsubscribe link key, and no KMS key (SNS2) on the alarm topic only', () => {
    expect(suppressed('AWS::SecretsManager::Secret', 'AwsSolutions-SMG4')).toHaveLength(3);
    expect(suppressed('AWS::SNS::Topic', 'AwsSolutions-SNS2')).toHaveLength(1);
  });

  it('accepts CloudFront’s default certificate (CFR4) on the web client’s distribution, which has no domain of its own', () => {
    expect(suppressed('AWS::CloudFront::Distribution', 'AwsSolutions-CFR4')).toHaveLength(1);
  });
});

describe.each(['dev', 'prod'])('cdk-nag AwsSolutions on the %s stack', (stage) => {
  const annotations = nagged(stage);

  it('reports no unsuppressed error', () => {
    const errors = annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).split('\n')[0]}`)).toEqual([]);
  });
});
