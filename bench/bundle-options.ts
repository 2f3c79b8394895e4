/**
 * The esbuild options CDK uses for every function of this project, mirrored in this ONE place:
 * infra/constructs/booking-function.ts passes them inline to NodejsFunction and exports nothing
 * the bench could import without building a CDK app. If booking-function.ts changes its
 * bundling, change it here as well.
 */
import type { BuildOptions } from 'esbuild';

export const CDK_BUNDLE_OPTIONS = {
  // NodejsFunction's own defaults (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js, `buildEsbuildArgs`,
  // aws-cdk-lib 2.276): `--bundle`, `--platform=node`, `--outfile=<asset>/index.js`, sources content
  // kept; no tsconfig, loader, define, banner, mainFields or keepNames options.
  bundle: true,
  platform: 'node',
  // booking-function.ts's `bundling`.
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // NodejsFunction's default for NODEJS_22_X without `bundleAwsSDK`; `@smithy/*` too only with the
  // `@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages` flag, which cdk.json leaves off.
  external: ['@aws-sdk/*'],
} as const satisfies BuildOptions;

/** `bundling.bundleAwsSDK: true`: the same build with the SDK inside the bundle. */
export const BUNDLED_SDK_OPTIONS = { ...CDK_BUNDLE_OPTIONS, external: [] as string[] } satisfies BuildOptions;

/**
 * What booking-function.ts puts in each function's environment: no NODE_OPTIONS by default, so
 * the cold-start children run without it too; the SDK variants are also measured with
 * SOURCE_MAPS_NODE_OPTIONS, to show what it costs.
 */
export const LAMBDA_NODE_OPTIONS = '';

/** What `-c sourceMaps=true` adds to every function. */
export const SOURCE_MAPS_NODE_OPTIONS = '--enable-source-maps';
