/**
 * The esbuild options CDK uses for every function of this project, mirrored in this ONE place
 * (infra/constructs/booking-function.ts passes them inline to NodejsFunction and exports
 * nothing the bench could import without building a CDK app).
 *
 * Source of each option:
 * - booking-function.ts `bundling`: minify true, sourceMap true, target 'node22', format CJS;
 * - NodejsFunction's own defaults (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js,
 *   `buildEsbuildArgs`, aws-cdk-lib 2.276): `--bundle`, `--platform=node`,
 *   `--outfile=<asset>/index.js`, sources content kept, and for NODEJS_22_X (not
 *   `bundleAwsSDK`) `--external:@aws-sdk/*` (`@smithy/*` too only with the
 *   `@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages` flag, which cdk.json leaves off);
 *   no tsconfig, loader, define, banner, mainFields or keepNames options are set.
 * - booking-function.ts sets no NODE_OPTIONS by default (`--enable-source-maps` only with the
 *   context `sourceMaps=true`): the cold-start children run without it too; the SDK variants
 *   below are also measured with it, to show what it costs.
 *
 * If booking-function.ts changes its bundling, change it here as well.
 */
import type { BuildOptions } from 'esbuild';

export const CDK_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  external: ['@aws-sdk/*'],
} as const satisfies BuildOptions;

/** `bundling.bundleAwsSDK: true`: the same build with the SDK inside the bundle. */
export const BUNDLED_SDK_OPTIONS = { ...CDK_BUNDLE_OPTIONS, external: [] as string[] } satisfies BuildOptions;

/** What booking-function.ts puts in each function's environment. */
export const LAMBDA_NODE_OPTIONS = '';

/** What `-c sourceMaps=true` adds to every function. */
export const SOURCE_MAPS_NODE_OPTIONS = '--enable-source-maps';
