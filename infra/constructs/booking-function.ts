import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import { SERVICE_NAME } from '../../shared/observability/names';
import { LOCK_FILE, PROJECT_ROOT } from './paths';

/** The CDK context key of the functions' log level: `-c logLevel=DEBUG` (INFO by default). */
export const LOG_LEVEL_CONTEXT = 'logLevel';

/**
 * The levels a stage may log at. Not WARN or ERROR: with the JSON log format Lambda filters
 * by each line's `level`, and counts a line without one (an EMF metric blob) as INFO, so
 * the business metrics would be dropped.
 */
export const LOG_LEVELS = ['INFO', 'DEBUG'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The log level the functions under `scope` log at (context `logLevel`, default INFO). */
export const logLevelOf = (scope: IConstruct): LogLevel => {
  const raw: unknown = scope.node.tryGetContext(LOG_LEVEL_CONTEXT) ?? 'INFO';
  const level = String(raw).toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`Context "${LOG_LEVEL_CONTEXT}" must be one of ${LOG_LEVELS.join(', ')}, got "${String(raw)}"`);
  }
  return level as LogLevel;
};

/** The CDK context key that turns on `--enable-source-maps` in every function: `-c sourceMaps=true`. */
export const SOURCE_MAPS_CONTEXT = 'sourceMaps';

/**
 * Whether the functions under `scope` resolve stack traces through their source maps at run
 * time. Off by default: with `--enable-source-maps` Node reads and parses the map of every
 * module at load, which `npm run bench` measured at 8–16 ms more init on every function (about
 * 0.1× its SDK baseline, most of the room the cold-start target leaves). The maps are still in
 * each function's asset, so a minified stack trace can be resolved afterwards; a dev stack
 * that wants readable traces in its logs turns them on.
 */
export const sourceMapsAtRuntime = (scope: IConstruct): boolean => {
  const raw: unknown = scope.node.tryGetContext(SOURCE_MAPS_CONTEXT) ?? false;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`Context "${SOURCE_MAPS_CONTEXT}" must be true or false, got "${String(raw)}"`);
};

/** The top-level stack `scope` is in: a nested stack's own name is generated at deploy time. */
const rootStackOf = (scope: IConstruct): Stack => {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
};

/**
 * The namespace of the stack's business metrics (and of its log metric filters): `Mentorship/<stack name>`,
 * the top-level stack's name also for a function in a nested stack, so that the alarms find its metrics.
 */
export const metricsNamespace = (scope: IConstruct): string => `Mentorship/${rootStackOf(scope).stackName}`;

/** What Powertools reads (shared/observability/logger.ts, metrics.ts), the same on every function of a stack. */
export const powertoolsEnvironment = (scope: IConstruct): Record<string, string> => ({
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(scope),
  POWERTOOLS_LOG_LEVEL: logLevelOf(scope),
});

export interface BookingFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'logGroup' | 'logRetention' | 'logRemovalPolicy'> {
  /** Absolute path of the handler module (a `.ts` file exporting `handler`). */
  entry: string;
  /** How long the function's log group keeps events. Default: one month. */
  logRetention?: RetentionDays;
  /** What happens to the log group when the stack is deleted. Default: DESTROY. */
  logRemovalPolicy?: RemovalPolicy;
}

/**
 * A Lambda function of this project: a TypeScript module bundled by esbuild, with the
 * defaults every function shares (each can be overridden through the props):
 *
 * - runtime `NODEJS_22_X` on `ARM_64` (Graviton: cheaper per ms, same code);
 * - X-Ray tracing `ACTIVE`;
 * - Powertools' settings (powertoolsEnvironment) and Lambda's JSON log format, filtered at the
 *   same level as Powertools logs at (Lambda's application log level is what Powertools obeys
 *   when both are set), so CloudWatch parses every line and extracts the EMF metrics;
 * - 512 MB of memory, a 10 s timeout;
 * - its own explicit log group (`/aws/lambda/<function name>` is not hard-coded: CloudFormation
 *   names it) keeping events one month, instead of the legacy `logRetention` custom resource;
 * - bundling: esbuild, minified, with a source map beside each bundle; `NODE_OPTIONS=
 *   --enable-source-maps` (stack traces that point at the TypeScript) only when the context
 *   says so (sourceMapsAtRuntime: it costs every cold start); output format CommonJS (middy, jose and ulid are
 *   ES-module-only packages, but esbuild converts them into the CJS bundle without trouble,
 *   and CJS needs no `createRequire` banner for the few CJS dependencies that `require()`);
 * - `@aws-sdk/*` is left EXTERNAL, NodejsFunction's default on Node 18+: the Lambda runtime
 *   ships AWS SDK for JavaScript v3, so the bundles stay small and cold starts short. The cost
 *   is that the runtime's SDK version, not package-lock.json's, is what runs in AWS;
 *   to pin it, set `bundling.bundleAwsSDK: true` here;
 * - `handler: 'handler'` (every module exports `handler`), `projectRoot` and
 *   `depsLockFilePath` set to this repository.
 */
export class BookingFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: BookingFunctionProps) {
    const { logRetention, logRemovalPolicy, bundling, environment, ...rest } = props;
    const logLevel = logLevelOf(scope);
    super(scope, id, {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      memorySize: 512,
      timeout: Duration.seconds(10),
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      // The log group is a sibling of the function (it must exist before `super` returns).
      logGroup: new LogGroup(scope, `${id}Logs`, {
        retention: logRetention ?? RetentionDays.ONE_MONTH,
        removalPolicy: logRemovalPolicy ?? RemovalPolicy.DESTROY,
      }),
      ...rest,
      environment: { ...(sourceMapsAtRuntime(scope) ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...powertoolsEnvironment(scope), ...environment },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        ...bundling,
      },
    });
  }
}
