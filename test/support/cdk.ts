/**
 * A CDK app as `cdk synth` builds this project: cdk.json's context first (its feature flags,
 * which the CLI passes to infra/app.ts and a bare `new App()` would not see), asset bundling
 * skipped (the tests read templates), then a test's own context.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';

export const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export const cdkApp = (context: Record<string, unknown> = {}): App => new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
