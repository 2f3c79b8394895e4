/**
 * Rescheduling a booking (policy in shared/domain/reschedule.ts): one Query of the session and
 * the tutor's booking terms it keeps (shared/data/session-terms.ts), then one transaction that
 * checks the profile is still at the terms' version and moves the session, its held blocks, its
 * notice, the payment wait's callback and (through the table stream) its schedules and Zoom
 * meeting. The profile is read only when the check fails, the kept terms refuse the time, or
 * the session was booked before it kept terms.
 */
import { systemClock, type Clock } from '../domain/clock';
import { InvalidStateError, NotFoundError, SlotUnavailableError, ValidationError } from '../domain/errors';
import { moverOf, reschedulePlan, type Mover, type ReschedulePlan } from '../domain/reschedule';
import { isBooked, type Session } from '../domain/session';
import { moveSession, type StoredSession } from '../data/sessions';
import { getTutorProfileVersioned, profileVersionCheck } from '../data/tutors';
import { getSessionWithTerms, sessionTermsPut, TermsChangedError, type SessionTerms } from '../data/session-terms';
import type { TransactItem } from '../data/transact';
import type { SlotTutor } from '../domain/availability';
import type { Caller } from '../domain/caller';
import { inboxWrites } from './notify';
import { meetingSyncPuts } from '../data/meeting-sync';
import { workflowCallbackPuts } from '../data/workflow-callbacks';
import { WORKFLOW_OUTCOMES } from '../workflow/definition';
import { canSee, presentSession } from './session-access';
import { retryOnStale } from './stale-retry';

/** Only the clock: what the move sets off is stored with it, for the table stream. */
export interface RescheduleDeps {
  clock: Clock;
}

export const defaultRescheduleDeps: RescheduleDeps = { clock: systemClock };

/** The session, if the caller may see it (404 as visibleSession), with the tutor's booking terms it keeps, in one Query. */
const visibleSessionWithTerms = async (caller: Caller, id: string): Promise<{ session: StoredSession; terms: SessionTerms | undefined }> => {
  const { session, terms } = await getSessionWithTerms(id);
  if (!session || !canSee(caller, session)) throw new NotFoundError('No such session');
  return { session, terms };
};

interface Moved {
  stored: StoredSession;
  by: Mover;
  previousScheduledAt: string;
  /** The workflow waits the move ends (tokens taken off the session in the same write). */
  tokens: string[];
  moved: boolean;
}

/** The terms the profile gives now, to decide on and to write with the move (with the check of the version read). */
const termsFromProfile = async (s: StoredSession, at: string) => {
  const read = await getTutorProfileVersioned(s.tutorId);
  if (!read) throw new InvalidStateError("The tutor's profile no longer exists");
  return { version: read.version, terms: read.profile as SlotTutor, writes: [profileVersionCheck(s.tutorId, read.version), sessionTermsPut(s.id, read.profile, read.version, at)] };
};

/**
 * Decides the move on the terms the session keeps, or (a session booked before it kept them,
 * or the tutor changed their profile since) on the profile's, read now and written with the
 * move. Kept terms that refuse the time are not the last word: the tutor may have widened
 * their hours since, so the profile is read once and, if it changed, decides instead.
 */
const decide = async (
  s: StoredSession,
  kept: SessionTerms | undefined,
  stale: boolean,
  scheduledAt: Date,
  now: Date,
): Promise<{ plan: ReschedulePlan; writes: TransactItem[] }> => {
  if (!kept || stale) {
    const fresh = await termsFromProfile(s, now.toISOString());
    return { plan: reschedulePlan(s, fresh.terms, scheduledAt, now), writes: fresh.writes };
  }
  try {
    return { plan: reschedulePlan(s, kept, scheduledAt, now), writes: [profileVersionCheck(s.tutorId, kept.profileVersion)] };
  } catch (e) {
    if (!(e instanceof SlotUnavailableError || e instanceof ValidationError)) throw e;
    const fresh = await termsFromProfile(s, now.toISOString());
    if (fresh.version === kept.profileVersion) throw e;
    return { plan: reschedulePlan(s, fresh.terms, scheduledAt, now), writes: fresh.writes };
  }
};

export const rescheduleSession = async (caller: Caller, id: string, scheduledAt: Date, deps: RescheduleDeps = defaultRescheduleDeps) => {
  // Set once the transaction's check found the profile changed since the terms were read.
  let stale = false;
  const result: Moved = await retryOnStale(async () => {
    const { session: s, terms: kept } = await visibleSessionWithTerms(caller, id);
    const by = moverOf(caller.userId, s);
    const now = deps.clock();
    const { plan, writes: check } = await decide(s, kept, stale, scheduledAt, now);
    if (plan.unchanged) return { stored: s, by, previousScheduledAt: s.scheduledAt, tokens: [], moved: false };

    // Which waits the move changes: the payment wait only if its deadline moved (the approval
    // deadline is the request's EXPIRE schedule, moved with the others). A timeline token is only
    // on a session whose execution began before the timeline ran on schedules.
    const { paymentTaskToken, timelineTaskToken, ...rest } = s;
    const endPayment = Boolean(paymentTaskToken) && (plan.changes.paymentDeadline ?? null) !== (s.paymentDeadline ?? null);
    const next: Session & { paymentTaskToken?: string } = {
      ...rest,
      ...(paymentTaskToken && !endPayment ? { paymentTaskToken } : {}),
      ...plan.changes,
      updatedAt: now.toISOString(),
    };
    const tokens = [endPayment ? paymentTaskToken : undefined, timelineTaskToken].filter((t): t is string => Boolean(t));
    // And the timeline's schedules (reminders, start, end; a request's reminders and expiry) follow the new time.
    const callbacks = [
      ...tokens.map((token) => ({ action: 'fail' as const, token, error: WORKFLOW_OUTCOMES.rescheduled, cause: `Rescheduled by the ${by.toLowerCase()}` })),
      { action: 'schedules' as const },
    ];
    const version = s.version + 1;
    // Each move is its own event (the version names it), so moving twice tells twice. A booked
    // session is in both calendars: the one who moved it gets the updated invite too (emailed,
    // stored read, not pushed).
    const other = by === 'STUDENT' ? 'tutor' : 'student';
    const self = other === 'tutor' ? 'student' : 'tutor';
    const notice = inboxWrites(
      {
        event: 'SESSION_RESCHEDULED',
        session: next,
        ...(isBooked(next) ? { to: [other, self], seenBy: [self] } : { to: [other] }),
        extra: { previousScheduledAt: s.scheduledAt },
        occurrence: String(version),
      },
      deps.clock,
    );
    const stored = await moveSession(
      s,
      next,
      plan,
      [...check, ...notice, ...workflowCallbackPuts(s.id, version, callbacks, now.toISOString()), ...meetingSyncPuts(s, version, now.toISOString())],
      (failed) => {
        if (!failed.includes(0)) return undefined;
        stale = true;
        return new TermsChangedError();
      },
    );
    return { stored, by, previousScheduledAt: s.scheduledAt, tokens, moved: true };
  });

  return presentSession(result.stored);
};
