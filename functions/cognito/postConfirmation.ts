/**
 * Cognito's post-confirmation trigger: a user who confirmed their sign-up becomes a student,
 * their user item written (signUp) and their account added to the `student` group. Both are
 * idempotent, so Cognito's retries of a failed or slow invocation change nothing twice. The
 * event goes back unchanged, as Cognito expects of this trigger.
 */
import middy from '@middy/core';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { observe } from '../../shared/observability/invocation';
import { logger } from '../../shared/observability/logger';
import { confirmStudentSignUp, type IdentityProvider } from '../../shared/usecases/identity';

/** Only a confirmed sign-up makes a student; a confirmed password reset is no new user. */
export const SIGN_UP_TRIGGER = 'PostConfirmation_ConfirmSignUp';

export const confirmSignUp = async (event: PostConfirmationTriggerEvent, identity?: IdentityProvider): Promise<PostConfirmationTriggerEvent> => {
  if (event.triggerSource !== SIGN_UP_TRIGGER) return event;
  const { sub, name, email } = event.request.userAttributes;
  if (!sub) throw new Error('The confirmed user has no sub');
  const user = await confirmStudentSignUp({ userId: sub, name: name ?? '', email: email ?? '' }, { userName: event.userName, poolId: event.userPoolId }, identity);
  logger.info('Signed up a student', { userId: user.id });
  return event;
};

export const handler = middy((event: PostConfirmationTriggerEvent) => confirmSignUp(event)).use(
  observe<PostConfirmationTriggerEvent>({ keysOf: (e) => ({ userId: e?.request?.userAttributes?.sub }) }),
);
