/**
 * A session as an iCalendar (RFC 5545) scheduling message, built with ical-generator: one
 * event whose UID is the session's for all its life, so a calendar that took the booking's
 * invite (METHOD:REQUEST) applies a later one of higher SEQUENCE as an update (a reschedule)
 * and removes the event on METHOD:CANCEL.
 *
 * Each recipient gets an invite naming only themselves as attendee: the other party's
 * address is never shown to them.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { sessionEnd, type Session } from '../domain/session';

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InviteInput {
  session: Pick<Session, 'id' | 'title' | 'scheduledAt' | 'durationMinutes' | 'meetingUrl' | 'student' | 'tutor'>;
  method: InviteMethod;
  /** Higher for every later change of the session (its item's version). */
  sequence: number;
  /** When this version was made (DTSTAMP). */
  stamp: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  sessionUrl: string;
  /** The domain part of the UID (the sender's domain): UIDs must be unique beyond this app. */
  uidDomain: string;
}

/** The UID of a session's calendar event: the same in every invite about it. */
export const inviteUid = (sessionId: string, uidDomain: string): string => `session-${sessionId}@${uidDomain}`;

export const sessionInvite = (input: InviteInput): string => {
  const { session: s } = input;
  const cancel = input.method === 'CANCEL';
  const calendar = ical({
    prodId: { company: 'Mentorship', product: 'Sessions', language: 'EN' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: inviteUid(s.id, input.uidDomain),
    sequence: input.sequence,
    stamp: new Date(input.stamp),
    start: new Date(s.scheduledAt),
    end: sessionEnd(s),
    summary: `${s.title} (${s.student.displayName} with ${s.tutor.displayName})`,
    description: [cancel ? 'This session was cancelled.' : null, s.meetingUrl ? `Join: ${s.meetingUrl}` : 'Join link: on the session page', `Session page: ${input.sessionUrl}`]
      .filter(Boolean)
      .join('\n'),
    location: s.meetingUrl ?? input.sessionUrl,
    url: input.sessionUrl,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [
      {
        name: input.attendee.name,
        email: input.attendee.email,
        role: ICalAttendeeRole.REQ,
        status: cancel ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      },
    ],
  });
  return calendar.toString();
};
