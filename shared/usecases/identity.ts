/**
 * Identity: who a user is in this system. Sign-up writes the user item of a new student (the
 * Cognito post-confirmation trigger on AWS, the local OpenID provider's sign-up form locally).
 */
import { systemClock, type Clock } from '../domain/clock';
import { ValidationError } from '../domain/errors';
import { createUserOnce, type User } from '../data/users';
import { userId as userIdSchema } from '../schemas/common';

export interface SignUp {
  userId: string;
  name: string;
  email: string;
}

/**
 * Makes the user a student, once: a retried call (Cognito may run its trigger again) finds
 * the item it wrote and returns it unchanged, as it does for a user who already exists in
 * any role. Only a conditional write, so two calls at once write one item.
 */
export const signUp = async ({ userId, name, email }: SignUp, clock: Clock = systemClock): Promise<User> => {
  if (!userIdSchema.safeParse(userId).success) throw new ValidationError('Invalid user id', [{ path: 'userId', message: 'Must be 1–64 letters, digits, - or _' }]);
  const { user } = await createUserOnce({ id: userId, displayName: name.trim() || email.trim(), email: email.trim(), roles: ['student'], createdAt: clock().toISOString() });
  return user;
};
