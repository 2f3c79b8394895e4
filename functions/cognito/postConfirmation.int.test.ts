/** The post-confirmation trigger against DynamoDB Local, with the identity provider recorded. */
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { getUser } from '../../shared/data/users';
import type { IdentityProvider } from '../../shared/integrations/identity';
import { useTestTable } from '../../test/support/table';
import { confirmSignUp } from './postConfirmation';

useTestTable();

/** As Cognito sends it for a user who signed up with their email (the username is the sub). */
const event = (sub: string, triggerSource = 'PostConfirmation_ConfirmSignUp'): PostConfirmationTriggerEvent => ({
  version: '1',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Mentr0Demo',
  userName: sub,
  triggerSource: triggerSource as PostConfirmationTriggerEvent['triggerSource'],
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '4example0client0id0mentorship' },
  request: { userAttributes: { sub, email: `${sub}@example.com`, email_verified: 'true', name: 'Amaka Obi', 'cognito:user_status': 'CONFIRMED' } },
  response: {},
});

const recorder = () => {
  const calls: unknown[][] = [];
  const identity: IdentityProvider = { addToGroup: async (...args) => void calls.push(args) };
  return { calls, identity };
};

describe('The post-confirmation trigger', () => {
  it('makes the confirmed user a student: user item and student group; returns the event', async () => {
    const { calls, identity } = recorder();
    const e = event('5f1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f60');
    expect(await confirmSignUp(e, identity)).toBe(e);
    expect(await getUser('5f1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f60')).toMatchObject({
      displayName: 'Amaka Obi',
      email: '5f1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f60@example.com',
      roles: ['student'],
    });
    expect(calls).toEqual([['5f1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f60', 'student', 'eu-west-1_Mentr0Demo']]);
  });

  it('changes nothing when Cognito runs it again', async () => {
    const { identity } = recorder();
    const sub = '6a1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f61';
    await confirmSignUp(event(sub), identity);
    const before = await getUser(sub);
    await confirmSignUp(event(sub), identity);
    expect(await getUser(sub)).toEqual(before);
  });

  it('does nothing for a confirmed password reset', async () => {
    const { calls, identity } = recorder();
    const sub = '7b1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f62';
    await confirmSignUp(event(sub, 'PostConfirmation_ConfirmForgotPassword'), identity);
    expect(await getUser(sub)).toBeUndefined();
    expect(calls).toEqual([]);
  });
});
