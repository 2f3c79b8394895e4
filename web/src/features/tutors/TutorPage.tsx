/**
 * A tutor's page: profile, recent reviews, and the free times of the next 14 days in the
 * viewer's zone; choosing a time opens the booking dialog. "Request again" arrives here with
 * the rejected request's title, notes, length and mode in the query string.
 */
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { formatDateTime, viewerZone } from '../../lib/time';
import { ErrorMessage, Loading, QueryState } from '../../ui/states';
import { useAuth } from '../../lib/auth';
import { BookingDialog, type BookingDraft } from './BookingDialog';
import { useFreeSlots, useTutor } from './hooks';
import { asDuration } from '../../lib/types';
import { Rating, TutorFacts } from './TutorFacts';
import { SlotPicker } from '../../ui/SlotPicker';

const draftFrom = (params: URLSearchParams): BookingDraft => {
  const duration = asDuration(Number(params.get('duration')));
  const mode = params.get('mode');
  return {
    ...(params.get('title') ? { title: params.get('title')! } : {}),
    ...(params.get('notes') ? { notes: params.get('notes')! } : {}),
    ...(duration ? { durationMinutes: duration } : {}),
    ...(mode === 'REQUEST' || mode === 'INSTANT' ? { bookingMode: mode } : {}),
  };
};

export const TutorPage = () => {
  const { tutorId = '' } = useParams();
  const [params] = useSearchParams();
  const draft = draftFrom(params);
  const tutor = useTutor(tutorId);
  const { identity } = useAuth();
  const zone = viewerZone();
  const shortest = tutor.data ? [...tutor.data.durations].sort((a, b) => a - b)[0] : undefined;
  const slots = useFreeSlots(tutorId, shortest);
  const [picked, setPicked] = useState<string | null>(null);

  return (
    <main className="page">
      <QueryState query={tutor} loadingLabel="Loading the tutor…">
        {(t) => (
          <>
            <h1>{t.displayName}</h1>
            <Rating average={t.ratingAverage} count={t.ratingCount} />
            {t.bio ? <p className="bio">{t.bio}</p> : null}
            <TutorFacts tutor={t} />

            <section aria-labelledby="free-times">
              <h2 id="free-times">Free times</h2>
              <p className="muted small">Times are shown in your time zone ({zone}).</p>
              {draft.title ? <p className="note">Requesting “{draft.title}” again: pick a new time.</p> : null}
              {identity?.id === t.id ? (
                <p className="muted">This is your own profile: you cannot book yourself.</p>
              ) : slots.isPending ? (
                <Loading label="Loading free times…" />
              ) : slots.isError ? (
                <ErrorMessage error={slots.error} onRetry={() => void slots.refetch()} />
              ) : (
                <SlotPicker slots={slots.data.items} zone={zone} selected={picked} onPick={setPicked} />
              )}
            </section>

            <section aria-labelledby="reviews">
              <h2 id="reviews">Recent reviews</h2>
              {t.recentReviews.length === 0 ? (
                <p className="empty">No reviews yet.</p>
              ) : (
                <ul className="reviews">
                  {t.recentReviews.map((r) => (
                    <li key={r.sessionId}>
                      <p>
                        <span role="img" aria-label={`${r.rating} out of 5`}>
                          {'★'.repeat(r.rating) + '☆'.repeat(5 - r.rating)}
                        </span>{' '}
                        <strong>{r.studentName}</strong>
                      </p>
                      {r.comment ? <p>{r.comment}</p> : null}
                      <p className="muted small">{formatDateTime(r.createdAt, { zone })}</p>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {picked ? <BookingDialog key={picked} tutor={t} start={picked} draft={draft} onClose={() => setPicked(null)} /> : null}
          </>
        )}
      </QueryState>
    </main>
  );
};
