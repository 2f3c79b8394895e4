// The layers of the backend, checked by `npm run lint:deps` (part of `npm run lint`, so of `npm test`).
//
//   shared/domain         pure rules and types (Caller, Role, Session, money …): imports nothing of ours but itself
//   shared/data           the only code that speaks DynamoDB
//   shared/integrations   the only code that speaks to the outside (SES, Step Functions, Secrets Manager,
//                         API Gateway management, Cognito, Paystack, Zoom)
//   shared/usecases       what the system does; the only way in for handlers and consumers
//   shared/http, streams, ws, workflow   the chains functions are built with
//   functions/            the Lambda entry points: a chain around a use case
//   infra/                the CDK app; infra/local/ the local stack (aws/ services, emulators/ of Paystack, Zoom, mail, OIDC)
//   scripts/              the command-line tools (`npm run token|invoke|openapi|executions|screenshots`): they may import
//                         infra/ and shared/, and nothing but tests imports them
//
// Each rule's comment says what to do instead: it is what a failing `npm run lint:deps` prints.

const OURS = '^(shared|functions|infra|test|bench|scripts|client|web)/';
const TEST_FILE = '\\.test\\.ts$';
const DYNAMODB_SDK = '^node_modules/@aws-sdk/(client-dynamodb|lib-dynamodb|util-dynamodb|client-dynamodb-streams)/';
// The AWS clients of the outside world, and the fetch wrapper the Paystack and Zoom clients call out with.
const OUTSIDE_CLIENTS = ['^node_modules/@aws-sdk/client-(sesv2|sfn|secrets-manager|apigatewaymanagementapi|cognito-identity-provider)/', '^shared/integrations/retry\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'shared/domain imports nothing of ours but shared/domain. Move the type or rule you need into shared/domain (as Caller and Role are in shared/domain/caller.ts), or do the work in a use case (shared/usecases) that calls the domain.',
      from: { path: '^shared/domain/' },
      to: { path: OURS, pathNot: '^shared/domain/' },
    },
    {
      name: 'only-data-speaks-dynamodb',
      severity: 'error',
      comment:
        'Only shared/data uses the DynamoDB SDK (@aws-sdk/client-dynamodb, lib-dynamodb, util-dynamodb). Add a function to the entity module in shared/data (its keys, its reads and writes) and call it from a use case.',
      from: { pathNot: ['^shared/data/', '^infra/', '^test/', '^bench/', TEST_FILE] },
      to: { path: DYNAMODB_SDK },
    },
    {
      name: 'only-integrations-speak-to-the-outside',
      severity: 'error',
      comment:
        'Only shared/integrations uses the clients of the outside world (SES, Step Functions, Secrets Manager, API Gateway management, Cognito, and the fetch wrapper of the Paystack and Zoom clients, shared/integrations/retry.ts). Wrap the call in a module of shared/integrations (as ses.ts, workflow.ts, secrets.ts, websocket.ts, identity.ts do) and call it from a use case.',
      from: { pathNot: ['^shared/integrations/', '^infra/', '^test/', '^bench/', '^scripts/', TEST_FILE] },
      to: { path: OUTSIDE_CLIENTS },
    },
    {
      name: 'functions-call-use-cases',
      severity: 'error',
      comment:
        "A handler or stream consumer (functions/) does not reach shared/data or shared/integrations: it calls a use case. Add (or use) a function in shared/usecases that does the data or integration call, and import that. A webhook's signature is checked by the HTTP chain: httpHandler({ signature: { headers, verify } }) with the verifier its use case exports (as verifyPaystackWebhook and verifyZoomWebhook bind the checks of shared/integrations to their secret).",
      from: { path: '^functions/', pathNot: TEST_FILE },
      to: { path: '^shared/(data|integrations)/' },
    },
    {
      name: 'integrations-below-use-cases',
      severity: 'error',
      comment:
        'shared/integrations wraps one outside service each and does not write the table or call use cases. Move the part that reads or writes the table into a use case (shared/usecases, as notify.ts writes the inbox) and keep only the call to the service here.',
      from: { path: '^shared/integrations/', pathNot: TEST_FILE },
      to: { path: '^shared/(data|usecases)/' },
    },
    {
      name: 'data-below-use-cases',
      severity: 'error',
      comment:
        'shared/data stores entities and knows nothing of use cases or the outside. Move what it needs from above into shared/domain (types) or do the work in the use case that calls shared/data.',
      from: { path: '^shared/data/', pathNot: TEST_FILE },
      to: { path: '^shared/(usecases|integrations|email)/' },
    },
    {
      name: 'chains-on-top',
      severity: 'error',
      comment:
        'shared/http, shared/streams and shared/ws are the chains functions are built with: nothing below them imports them. A type both sides need (like Caller and Role) belongs in shared/domain; a response or request shape in shared/schemas.',
      from: { path: '^shared/(domain|data|integrations|usecases|schemas|email|config)', pathNot: TEST_FILE },
      to: { path: '^shared/(http|streams)/' },
    },
    {
      name: 'runtime-not-on-infra-or-tests',
      severity: 'error',
      comment:
        'Code that ships in a Lambda (functions/, shared/) imports nothing from infra/, test/, bench/ or scripts/. Move what it needs into shared/ (a constant, a type) and import it from both sides.',
      from: { path: '^(functions|shared)/', pathNot: TEST_FILE },
      to: { path: '^(infra|test|bench|scripts)/' },
    },
    {
      name: 'local-stack-not-on-tests',
      severity: 'error',
      comment:
        'The local stack (infra/local/) is run by `npm start` without the tests: it imports nothing from test/. A helper only tests use belongs in test/support/; one both use belongs in infra/local/ and test/support/ imports it.',
      from: { path: '^infra/local/', pathNot: TEST_FILE },
      to: { path: '^test/' },
    },
    {
      name: 'infra-not-on-scripts',
      severity: 'error',
      comment:
        'scripts/ holds the command-line tools; the CDK app and the local stack (infra/) do not import them. Move what both need into infra/ (or shared/) and import it from the script.',
      from: { path: '^infra/', pathNot: TEST_FILE },
      to: { path: '^scripts/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This module reaches itself again through its imports. Move what both sides need into a lower module (a shared/domain type, a shared/schemas shape) so the imports run one way.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^cdk\\.out/', '^\\.local/', '^coverage/', '/dist/'] },
    // Type-only imports count: `import type { Caller } from '../http/auth'` is a dependency on the layer all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
