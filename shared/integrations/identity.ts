/**
 * The identity provider's side of a role: on AWS a role is a Cognito group (the ID token's
 * `cognito:groups`), so granting one adds the user to the group; the user item's `roles`
 * are kept in step by the use cases. Locally there is no user pool (USER_POOL_ID unset): the
 * local tokens take their groups from the user item, so there is nothing to do here.
 */
import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient, UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { userPoolId } from '../config';
import { InvalidStateError } from '../domain/errors';
import type { Role } from '../domain/caller';

export interface IdentityProvider {
  /** Adds the user (Cognito's username, or the `sub`) to the role's group; already a member is no error. */
  addToGroup(username: string, role: Role, poolId?: string): Promise<void>;
}

let client: CognitoIdentityProviderClient | undefined;
const cognito = () => (client ??= new CognitoIdentityProviderClient({}));

/** AdminAddUserToGroup succeeds for a user already in the group, so a retry is harmless. */
export const cognitoIdentity = (defaultPoolId?: string): IdentityProvider => ({
  addToGroup: async (username, role, poolId = defaultPoolId) => {
    if (!poolId) throw new Error('No user pool to add the user to');
    try {
      await cognito().send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: role }));
    } catch (e) {
      if (e instanceof UserNotFoundException) throw new InvalidStateError('The user no longer exists in the user pool');
      throw e;
    }
  },
});

export const noIdentityProvider: IdentityProvider = { addToGroup: async () => {} };

/** Cognito when USER_POOL_ID names a pool, else nothing to do. */
export const identityProvider = (): IdentityProvider => {
  const poolId = userPoolId();
  return poolId ? cognitoIdentity(poolId) : noIdentityProvider;
};
