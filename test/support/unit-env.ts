/**
 * The unit tier has no DynamoDB: a unit test that reaches for it fails at once, and the
 * address it failed on says why (such a test belongs in a `*.int.test.ts` file).
 */
process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://unit-tests-have-no-dynamodb.invalid';
