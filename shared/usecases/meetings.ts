/**
 * Video meetings: the workflow step that creates a paid session's Zoom meeting (exactly one,
 * however often the step runs), the tutor's own link when Zoom could not make one, and what
 * the session page shows of the meeting to whom (recordings: ./recordings.ts).
 *
 * Creating at most one meeting: Zoom has no idempotency key, so
 * 1. before calling Zoom the step claims the session's meeting item (CREATING, an owner id,
 *    a lease); a failing attempt releases its lease, a killed one's runs out;
 * 2. every meeting carries the session id in its topic (`… [<sessionId>]`);
 * 3. an attempt that takes over a claim (an earlier attempt may have created the meeting and
 *    died before recording it) first lists the host's meetings and adopts the tagged one
 *    (deleting extra tagged ones, should there be any); the client's own retry of an
 *    ambiguous create (timeout, 5xx) does the same lookup first;
 * 4. the meeting is recorded on the meeting item (only by the claim's owner) and on the
 *    session (`meetingId`, `meetingUrl`) in one transaction. A claim lost meanwhile (only
 *    possible if an attempt outlives the lease, which must exceed the function's timeout)
 *    deletes its own meeting in favour of the recorded one.
 * While another attempt holds a live lease the step fails with MeetingCreationInProgress,
 * and the state machine's Retry tries again later.
 */
import { ulid } from 'ulid';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, InvalidStateError, NotFoundError } from '../domain/errors';
import type { Session } from '../domain/session';
import { claimMeetingCreation, getMeetingRecord, markMeetingDeleted, MeetingClaimLostError, recordCreatedMeeting, releaseMeetingClaim, type MeetingRecord } from '../data/meetings';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import type { Caller } from '../domain/caller';
import { findMeetings, zoom as zoomClient, type ZoomClient } from '../integrations/zoom';
import { toZoomTime, ZOOM_AGENDA_MAX, ZOOM_TOPIC_MAX, type CreateMeetingRequest, type ZoomMeeting } from '../schemas/zoom';
import { presentSession, retryOnStale, visibleSession } from './session-access';
import { logger } from '../observability/logger';

/**
 * How long an attempt holds the creation claim. Must exceed the createMeeting function's
 * timeout (30 s, infra/constructs/booking-workflow.ts), so no attempt outlives its claim, and
 * stay well inside the state machine's retries (3 + 6 + 12 + 24 + 48 s), so an attempt killed
 * by its timeout is taken over by a later retry rather than ending in the fallback.
 */
export const MEETING_CLAIM_LEASE_MS = 45_000;

export interface MeetingDeps {
  clock: Clock;
  zoom: ZoomClient;
  /** Names one attempt (the claim's owner). */
  newAttemptId: () => string;
  leaseMs: number;
}

export const defaultMeetingDeps: MeetingDeps = { clock: systemClock, zoom: zoomClient, newAttemptId: () => ulid(), leaseMs: MEETING_CLAIM_LEASE_MS };

/** Another attempt is creating the meeting right now: the state machine retries later. */
export class MeetingCreationInProgressError extends Error {
  constructor(sessionId: string, leaseUntil: number) {
    super(`The meeting of session ${sessionId} is being created by another attempt (claimed until ${new Date(leaseUntil).toISOString()})`);
    this.name = 'MeetingCreationInProgress';
  }
}

// ---------------------------------------------------------------- what we ask Zoom for

/** The tag that finds a session's meeting among the host's: the session id, in brackets, in the topic. */
export const meetingMarker = (sessionId: string): string => `[${sessionId}]`;
export const isMeetingOf = (sessionId: string) => (m: { topic: string }) => m.topic.includes(meetingMarker(sessionId));

/** At most `max` UTF-16 units, cut with an ellipsis and never inside a surrogate pair. */
export const truncate = (s: string, max: number): string => {
  if (s.length <= max) return s;
  let cut = s.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
};

export const meetingRequest = (s: Pick<Session, 'id' | 'title' | 'scheduledAt' | 'durationMinutes' | 'tutor' | 'student'>): CreateMeetingRequest => {
  const marker = ` ${meetingMarker(s.id)}`;
  const title = s.title.trim() || 'Mentorship session';
  return {
    topic: `${truncate(title, ZOOM_TOPIC_MAX - marker.length)}${marker}`,
    type: 2,
    start_time: toZoomTime(s.scheduledAt),
    duration: s.durationMinutes,
    timezone: 'UTC',
    agenda: truncate(`${title}\n\nMentorship session ${s.id}: ${s.tutor.displayName} (host) with ${s.student.displayName}.`, ZOOM_AGENDA_MAX),
    settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: false },
  };
};

// ---------------------------------------------------------------- the workflow step

export interface MeetingStepResult {
  /** The link participants join with (ConfirmBooking reads it); null when there is none. */
  joinUrl: string | null;
  meetingId: string | null;
}

const load = async (sessionId: string): Promise<StoredSession> => {
  const s = await getSession(sessionId);
  if (!s) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return s;
};

const joinable = (s: Session) => s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS';

const fromRecord = (s: Session, r: MeetingRecord): MeetingStepResult => ({
  joinUrl: s.meetingUrl ?? (r.state === 'CREATED' ? (r.joinUrl ?? null) : null),
  meetingId: r.state === 'CREATED' ? (r.meetingId ?? null) : null,
});

/**
 * The session's meetings at Zoom, by their tag: the oldest is kept, any other (from a race
 * that should not happen) deleted. The list has no start_url, so the kept one is read.
 */
const findTaggedMeeting = async (zoom: ZoomClient, sessionId: string): Promise<ZoomMeeting | undefined> => {
  const found = await findMeetings(zoom, isMeetingOf(sessionId));
  if (found.length === 0) return undefined;
  const [keep, ...extra] = [...found].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.id.localeCompare(b.id));
  for (const m of extra) {
    logger.warn('Deleting a duplicate Zoom meeting', { sessionId, meetingId: m.id, kept: keep!.id });
    await zoom.deleteMeeting(m.id);
  }
  return zoom.getMeeting(keep!.id);
};

/** Records `meeting` (made under `owner`'s claim) on the session; deletes it again if the session closed meanwhile. */
const recordMeeting = async (sessionId: string, owner: string, meeting: ZoomMeeting, deps: MeetingDeps): Promise<MeetingStepResult> => {
  const created = { meetingId: meeting.id, joinUrl: meeting.join_url, startUrl: meeting.start_url };
  let stored: StoredSession;
  try {
    stored = await retryOnStale(async () => {
      const s = await load(sessionId);
      const at = deps.clock().toISOString();
      // A link the tutor set meanwhile is kept; a closed session gets no link.
      const next: Session = joinable(s)
        ? { ...s, meetingId: created.meetingId, meetingUrl: s.meetingUrl ?? created.joinUrl, updatedAt: at }
        : { ...s, meetingId: created.meetingId };
      return recordCreatedMeeting(s, next, owner, created, at);
    }, 5);
  } catch (e) {
    if (!(e instanceof MeetingClaimLostError)) throw e;
    const current = await getMeetingRecord(sessionId);
    if (current?.state !== 'CREATED') throw e;
    if (current.meetingId !== created.meetingId) {
      logger.warn('Another attempt recorded a meeting first; deleting ours', { sessionId, ours: created.meetingId, theirs: current.meetingId });
      await deps.zoom.deleteMeeting(created.meetingId);
    }
    return fromRecord(await load(sessionId), current);
  }
  if (!joinable(stored)) {
    await deleteSessionMeeting(stored, deps);
    return { joinUrl: null, meetingId: null };
  }
  // Rescheduled while the meeting was being made (the move saw no meeting to update): move it too.
  if (meeting.start_time && Date.parse(meeting.start_time) !== Date.parse(stored.scheduledAt)) {
    await deps.zoom
      .updateMeeting(created.meetingId, { start_time: toZoomTime(stored.scheduledAt), duration: stored.durationMinutes, timezone: 'UTC' })
      .catch((e: unknown) => logger.error('Could not move the new Zoom meeting to the rescheduled time', { sessionId, meetingId: created.meetingId, error: String(e) }));
  }
  logger.info('Zoom meeting created', { sessionId, meetingId: created.meetingId });
  return { joinUrl: stored.meetingUrl, meetingId: created.meetingId };
};

/**
 * CreateMeeting: the paid session's Zoom meeting, created once. Errors from Zoom (after the
 * client's own retries) are thrown: the state machine retries, then falls back to asking the
 * tutor for a link.
 */
export const createSessionMeeting = async (sessionId: string, deps: MeetingDeps = defaultMeetingDeps): Promise<MeetingStepResult> => {
  const s = await load(sessionId);
  const existing = await getMeetingRecord(sessionId);
  if (existing && existing.state !== 'CREATING') return fromRecord(s, existing);
  // Nothing to create: a closed or unpaid session, or one the tutor already gave a link (and no attempt began).
  if (!joinable(s) || s.paymentStatus !== 'PAID' || (!existing && s.meetingUrl)) return { joinUrl: s.meetingUrl, meetingId: null };

  const now = deps.clock();
  const owner = deps.newAttemptId();
  const claim = await claimMeetingCreation(sessionId, owner, now.getTime(), deps.leaseMs, now.toISOString());
  if (!claim.claimed) {
    if (claim.record.state !== 'CREATING') return fromRecord(s, claim.record);
    throw new MeetingCreationInProgressError(sessionId, claim.record.leaseUntil);
  }
  try {
    const find = () => findTaggedMeeting(deps.zoom, sessionId);
    // Taking over a claim: the attempt before may have created the meeting and died before recording it.
    const adopted = claim.previous ? await find() : undefined;
    if (adopted) logger.info('Adopting the meeting an earlier attempt created', { sessionId, meetingId: adopted.id });
    const meeting = adopted ?? (await deps.zoom.createMeeting(meetingRequest(s), { findExisting: find }));
    return await recordMeeting(sessionId, owner, meeting, deps);
  } catch (e) {
    // The next attempt need not wait for the lease; the claim stays CREATING (a meeting may exist).
    await releaseMeetingClaim(sessionId, owner, deps.clock().getTime()).catch(() => undefined);
    throw e;
  }
};

/**
 * Deletes the session's Zoom meeting (a cancelled session), if it has one; a meeting Zoom no
 * longer has counts as deleted. An attempt still creating one sees the cancellation when it
 * records the meeting, and deletes it itself.
 */
export const deleteSessionMeeting = async (session: Pick<Session, 'id'>, deps: MeetingDeps = defaultMeetingDeps): Promise<void> => {
  const record = await getMeetingRecord(session.id);
  if (!record) return;
  if (record.state === 'CREATED' && record.meetingId) {
    await deps.zoom.deleteMeeting(record.meetingId);
    await markMeetingDeleted(session.id, record.meetingId, deps.clock().toISOString());
    return;
  }
  if (record.state === 'CREATING' && record.leaseUntil <= deps.clock().getTime()) {
    // An attempt failed after maybe creating it, and nobody will try again: find it by its tag.
    for (const m of await findMeetings(deps.zoom, isMeetingOf(session.id))) await deps.zoom.deleteMeeting(m.id);
  }
};

// ---------------------------------------------------------------- routes

/**
 * PUT /sessions/{id}/meeting-url: the tutor's own link (e.g. when no Zoom meeting could be
 * made). Only the session's tutor, only while it is SCHEDULED or IN_PROGRESS.
 */
export const setMeetingUrl = async (caller: Caller, id: string, meetingUrl: string, deps: Pick<MeetingDeps, 'clock'> = defaultMeetingDeps) => {
  const stored = await retryOnStale(async () => {
    const s = await visibleSession(caller, id);
    if (s.tutorId !== caller.userId) throw new ForbiddenError("Only the session's tutor can set its meeting link");
    if (!joinable(s)) throw new InvalidStateError(`A ${s.status} session takes no meeting link`);
    if (s.meetingUrl === meetingUrl) return s;
    return transitionSession(s, { ...s, meetingUrl, updatedAt: deps.clock().toISOString() });
  });
  return presentSession(stored);
};

/**
 * The host's start URL, for the session page: only the session's tutor gets it, and only for
 * the Zoom meeting the session still uses (not once the tutor set a link of their own).
 */
export const hostStartUrl = (caller: Caller, s: Session, meeting: MeetingRecord | undefined): string | undefined =>
  caller.userId === s.tutorId && meeting?.state === 'CREATED' && meeting.startUrl && meeting.joinUrl === s.meetingUrl ? meeting.startUrl : undefined;
