/**
 * Identity: who a user is in this system. Sign-up writes the user item of a new student (the
 * Cognito post-confirmation trigger on AWS, the local OpenID provider's sign-up form locally).
 */
import { isDeepStrictEqual } from 'node:util';
import { systemClock, type Clock } from '../domain/clock';
import { InvalidStateError, NotFoundError, ValidationError } from '../domain/errors';
import type { TutorApplicationStatus } from '../domain/tutor-application';
import { transactWrite } from '../data/transact';
import { getTutorApplication, listTutorApplicationsByStatus, setTutorApplicationStatus, submitTutorApplication, tutorApplicationStatusWrite } from '../data/tutor-applications';
import { tutorProfileUpsert } from '../data/tutors';
import { addUserRoleWrite, createUserOnce, getUser, type User } from '../data/users';
import { userOverview } from '../data/user-overview';
import { hasRole, type Caller } from '../domain/caller';
import { cognitoIdentity, identityProvider, type IdentityProvider } from '../integrations/identity';
import { accountInboxWrites } from './notify';
import { userId as userIdSchema } from '../schemas/common';
import type { TutorApplication, TutorProfileInput } from '../schemas/tutor';

/** Where a role is granted at the identity provider (Cognito's groups); tests pass a recorder. */
export type { IdentityProvider };

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

/**
 * A sign-up the identity provider confirmed: the user item (signUp), then the account in the
 * provider's `student` group (`userName` in the pool `poolId`, as Cognito's trigger names
 * them). Both are idempotent, so a retried trigger changes nothing twice.
 */
export const confirmStudentSignUp = async (who: SignUp, account: { userName: string; poolId: string }, identity: IdentityProvider = cognitoIdentity()): Promise<User> => {
  const user = await signUp(who);
  await identity.addToGroup(account.userName, 'student', account.poolId);
  return user;
};

// ---------------------------------------------------------------- GET /me

/**
 * The caller as the frontend shows them: roles from the token (what the API grants them now;
 * a role granted since reaches the token at its next refresh), name and email from the token
 * or else the user item, the tutor profile and application, and the unread count: one read.
 */
export const getMe = async (caller: Caller) => {
  const o = await userOverview(caller.userId);
  const app = o.tutorApplication;
  return {
    id: caller.userId,
    name: caller.name ?? o.user?.displayName ?? null,
    email: caller.email ?? o.user?.email ?? null,
    roles: caller.roles,
    tutorProfile: o.tutorProfile ?? null,
    tutorApplication: app ? { status: app.status, submittedAt: app.submittedAt, decidedAt: app.decidedAt, reason: app.reason } : null,
    unreadNotifications: o.unreadNotifications,
  };
};

// ---------------------------------------------------------------- applying to tutor

const sameProfile = (a: TutorProfileInput, b: TutorProfileInput) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

/**
 * The caller applies to tutor with the profile they would publish. A user with no application,
 * or a declined one, gets a new PENDING application (201). Sending the same profile again
 * while it is pending changes nothing (200, the same application); anything else while one
 * is pending, approving or approved, or from a tutor, is a 409.
 */
export const applyToTutor = async (caller: Caller, profile: TutorProfileInput, clock: Clock = systemClock): Promise<{ created: boolean; application: TutorApplication }> => {
  if (hasRole(caller, 'tutor')) throw new InvalidStateError('You are a tutor already');
  const now = clock().toISOString();
  // The user item the approval adds the role to: written here if the user has none yet.
  const user = await signUp({ userId: caller.userId, name: caller.name ?? profile.displayName, email: caller.email ?? '' }, clock);
  if (user.roles.includes('tutor')) throw new InvalidStateError('You are a tutor already');
  const application: TutorApplication = {
    userId: caller.userId,
    status: 'PENDING',
    applicant: { displayName: caller.name ?? user.displayName, email: caller.email ?? user.email },
    profile,
    submittedAt: now,
    updatedAt: now,
    decidedBy: null,
    decidedAt: null,
    reason: null,
  };
  const result = await submitTutorApplication(application);
  if (result.stored) return { created: true, application };
  const { existing } = result;
  if (existing.status === 'PENDING' && sameProfile(existing.profile, profile)) return { created: false, application: existing };
  throw new InvalidStateError(existing.status === 'PENDING' ? 'Your application is pending already' : `Your application is ${existing.status.toLowerCase()}`);
};

export const listTutorApplications = (q: { status: TutorApplicationStatus; cursor?: string | undefined; limit: number }) =>
  listTutorApplicationsByStatus(q.status, q.cursor, q.limit);

export interface ApprovalDeps {
  clock: Clock;
  identity: IdentityProvider;
}

const defaultDeps = (): ApprovalDeps => ({ clock: systemClock, identity: identityProvider() });

const notFound = () => new NotFoundError('No application to tutor from this user');

/**
 * Approves the application: claims it (PENDING → APPROVING, so no decline can win from here
 * on), adds the user to the tutor group at the identity provider (a retry is harmless), then
 * in one transaction: APPROVED, `tutor` added to the user item's roles, the profile published
 * (as PUT /tutors/me writes it) and the applicant told. Approving what is approved already
 * changes nothing and answers with it; an approval that stopped half-way (APPROVING) is
 * finished by approving again; a declined one is a 409.
 */
export const approveTutorApplication = async (admin: Caller, userId: string, deps: ApprovalDeps = defaultDeps()): Promise<TutorApplication> => {
  let app = await getTutorApplication(userId, true);
  if (app?.status === 'PENDING') {
    app = (await setTutorApplicationStatus(app, ['PENDING'], 'APPROVING', { updatedAt: deps.clock().toISOString() })).application;
  }
  if (!app) throw notFound();
  if (app.status === 'APPROVED') return app;
  if (app.status === 'DECLINED') throw new InvalidStateError('This application was declined');
  // Only an applicant's new application after a decline makes it PENDING again between the two reads.
  if (app.status !== 'APPROVING') throw new InvalidStateError('This application changed while being approved; try again');
  await deps.identity.addToGroup(userId, 'tutor');
  // A change of the user's roles between the read and the transaction fails its condition: read again and retry.
  for (let attempt = 1; ; attempt += 1) {
    const user = await getUser(userId);
    const now = deps.clock().toISOString();
    const fields = { decidedBy: admin.userId, decidedAt: now, updatedAt: now, reason: null };
    try {
      await transactWrite(
        [
          tutorApplicationStatusWrite(app, ['APPROVING'], 'APPROVED', fields),
          ...(user?.roles.includes('tutor') ? [] : [addUserRoleWrite(userId, 'tutor')]),
          { Update: tutorProfileUpsert(userId, app.profile, now) },
          ...accountInboxWrites(userId, 'TUTOR_APPLICATION_APPROVED', app.submittedAt, {}, deps.clock),
        ],
        () => new ApprovalConflict(),
      );
      return { ...app, status: 'APPROVED', ...fields };
    } catch (e) {
      if (!(e instanceof ApprovalConflict)) throw e;
      const now = await getTutorApplication(userId, true);
      if (!now) throw notFound();
      // Another admin's approval finished first: one effect, the same answer.
      if (now.status === 'APPROVED') return now;
      if (!user) throw new InvalidStateError('The applicant has no user item');
      if (attempt >= 3) throw new InvalidStateError('The applicant changed while being approved; try again');
      app = now;
    }
  }
};

class ApprovalConflict extends Error {}

/**
 * Declines a pending application with a reason the applicant is told (required: an applicant
 * should learn what to change before applying again). Declining a declined one changes
 * nothing and answers with it; one that is being or was approved is a 409.
 */
export const declineTutorApplication = async (admin: Caller, userId: string, reason: string, clock: Clock = systemClock): Promise<TutorApplication> => {
  const app = await getTutorApplication(userId, true);
  if (!app) throw notFound();
  if (app.status === 'DECLINED') return app;
  if (app.status !== 'PENDING') throw new InvalidStateError(`This application is ${app.status.toLowerCase()}`);
  const now = clock().toISOString();
  const fields = { decidedBy: admin.userId, decidedAt: now, updatedAt: now, reason };
  try {
    await transactWrite(
      [tutorApplicationStatusWrite(app, ['PENDING'], 'DECLINED', fields), ...accountInboxWrites(userId, 'TUTOR_APPLICATION_DECLINED', app.submittedAt, { reason }, clock)],
      () => new ApprovalConflict(),
    );
    return { ...app, status: 'DECLINED', ...fields };
  } catch (e) {
    if (!(e instanceof ApprovalConflict)) throw e;
    const after = await getTutorApplication(userId, true);
    if (after?.status === 'DECLINED') return after;
    throw new InvalidStateError(`This application is ${(after?.status ?? 'gone').toLowerCase()}`);
  }
};
