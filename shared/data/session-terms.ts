/**
 * The tutor's booking terms a session was booked under (hours, time zone, notice, buffer: what
 * a move must fit), with the version of the profile they were read from. Written in the
 * booking's transaction, next to the session but off its item (which every transition rewrites
 * and the dashboards' indexes list, so the session's writes cost what they did). A reschedule
 * reads the session and its terms in one Query and checks, in its transaction, that the
 * profile is still at that version; only when the tutor changed it since is the profile read
 * (and the terms written again). Nothing lists the item: it stays with its session's partition.
 */
import { WEEKDAYS, type SlotTutor } from '../domain/availability';
import * as z from '../schemas/zod';
import { entity } from './entity';
import { sessionKey, sessionTermsKey } from './keys';
import { put, query } from './ops';
import { sessionFromItem, StaleSessionError, type StoredSession } from './sessions';

export interface SessionTerms extends SlotTutor {
  sessionId: string;
  tutorId: string;
  /** The tutor profile's version the terms were read at (shared/data/tutors.ts). */
  profileVersion: number;
  takenAt: string;
}

const storedTerms = z.object({
  sessionId: z.string(),
  tutorId: z.string(),
  timezone: z.string(),
  availability: z.array(z.object({ day: z.enum(WEEKDAYS), start: z.string(), end: z.string() })),
  minimumNoticeMinutes: z.number(),
  bufferMinutes: z.number(),
  profileVersion: z.number(),
  takenAt: z.string(),
});

export const SessionTermsEntity = entity({
  type: 'SessionTerms',
  about: 'SessionTerms (the tutor’s hours, notice and buffer a session was booked or last moved under, with the profile’s `profileVersion`)',
  key: sessionTermsKey,
  schema: storedTerms,
  keys: (t) => sessionTermsKey(t.sessionId),
  sample: () => sessionTermsKey('<id>'),
  accessPatterns: () => [
    {
      pattern: 'reschedule: the session and the booking terms it keeps',
      key: "`pk=SESSION#<id>`, `begins_with(sk, SESSION)` (`SESSION` and `SESSION#TERMS`); in the move's transaction a ConditionCheck of `pk=TUTOR#<id>, sk=PROFILE` on the terms' `profileVersion` (failed: the profile is read, and the terms written again with the move)",
      operation: 'Query, then TransactWriteItems',
    },
  ],
});

/** The tutor changed their profile since the terms were read: read it and try again. */
export class TermsChangedError extends StaleSessionError {}

/** The terms' Put (unconditional: written with a new session, or replacing the terms of the session a move is conditional on). */
export const sessionTermsPut = (sessionId: string, tutor: SlotTutor & { id: string }, profileVersion: number, at: string) =>
  put({
    Item: SessionTermsEntity.item({
      sessionId,
      tutorId: tutor.id,
      timezone: tutor.timezone,
      availability: [...tutor.availability],
      minimumNoticeMinutes: tutor.minimumNoticeMinutes,
      bufferMinutes: tutor.bufferMinutes,
      profileVersion,
      takenAt: at,
    }),
  });

/** The session and its terms (none for a session booked before they were kept), in one Query. */
export const getSessionWithTerms = async (sessionId: string): Promise<{ session: StoredSession | undefined; terms: SessionTerms | undefined }> => {
  const { pk, sk } = sessionKey(sessionId);
  const out = await query({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :session)', ExpressionAttributeValues: { ':pk': pk, ':session': sk } });
  const items = out.Items ?? [];
  const session = items.find((i) => i.sk === sk);
  const terms = items.find((i) => i.sk === sessionTermsKey(sessionId).sk);
  return { session: session ? sessionFromItem(session) : undefined, terms: terms ? SessionTermsEntity.parse(terms) : undefined };
};
