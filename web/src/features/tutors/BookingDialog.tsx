/**
 * The booking dialog: length, title, notes and booking mode, with the price shown before
 * anything is sent. REQUEST sends the request ("Request session"); INSTANT books and goes to
 * the checkout page the API returns ("Book and pay"). Refusals are shown here, in words.
 */
import { useState, type SubmitEvent } from 'react';
import { useNavigate } from 'react-router';
import { formatMoney, previewPrice } from '../../lib/money';
import { durationLabel, formatDateTime, viewerZone } from '../../lib/time';
import type { BookingMode, SessionDuration, TutorProfile } from '../../lib/types';
import { asDuration } from '../../lib/types';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/states';
import { useBook, useFreeSlots } from './hooks';

export interface BookingDraft {
  title?: string;
  notes?: string;
  durationMinutes?: SessionDuration;
  bookingMode?: BookingMode;
}

export const BookingDialog = ({ tutor, start, draft, onClose }: { tutor: TutorProfile; start: string | null; draft: BookingDraft; onClose: () => void }) => {
  const zone = viewerZone();
  const navigate = useNavigate();
  const book = useBook();
  const offered = [...tutor.durations].sort((a, b) => a - b);
  const [durationMinutes, setDuration] = useState(draft.durationMinutes && offered.includes(draft.durationMinutes) ? draft.durationMinutes : offered[0]!);
  const [title, setTitle] = useState(draft.title ?? '');
  const [notes, setNotes] = useState(draft.notes ?? '');
  const modes = tutor.bookingModes;
  const [mode, setMode] = useState<BookingMode>(draft.bookingMode && modes.includes(draft.bookingMode) ? draft.bookingMode : modes.includes('REQUEST') ? 'REQUEST' : 'INSTANT');
  const fits = useFreeSlots(tutor.id, durationMinutes);
  const doesNotFit = fits.isSuccess && start !== null && !fits.data.items.some((s) => s.start === start);
  const price = previewPrice(tutor.hourlyRate, durationMinutes);

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!start) return;
    book.mutate(
      { tutorId: tutor.id, scheduledAt: start, durationMinutes, title: title.trim(), notes: notes.trim() || null, bookingMode: mode },
      {
        onSuccess: (res) => {
          if (res.payment) window.location.assign(res.payment.authorizationUrl);
          else void navigate(`/mentorship/session/${res.session.id}`);
        },
      },
    );
  };

  return (
    <Dialog open={start !== null} title={`Book ${tutor.displayName}`} onClose={onClose}>
      {start ? (
        <form onSubmit={submit} className="form">
          <p>
            <strong>{formatDateTime(start, { zone })}</strong>
          </p>
          <label>
            Duration
            <select value={durationMinutes} onChange={(e) => setDuration(asDuration(Number(e.target.value)) ?? offered[0]!)}>
              {offered.map((d) => (
                <option key={d} value={d}>
                  {durationLabel(d)}
                </option>
              ))}
            </select>
          </label>
          {doesNotFit ? (
            <p role="alert" className="warn">
              {durationLabel(durationMinutes)} does not fit at this time. Pick a shorter length or another time.
            </p>
          ) : null}
          <label>
            Title
            <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} autoComplete="off" />
          </label>
          <label>
            Notes
            <textarea value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={2000} rows={3} />
          </label>
          {modes.length > 1 ? (
            <fieldset>
              <legend>Booking mode</legend>
              <label className="inline">
                <input type="radio" name="mode" value="REQUEST" checked={mode === 'REQUEST'} onChange={() => setMode('REQUEST')} />
                Request: the tutor approves first, you pay after
              </label>
              <label className="inline">
                <input type="radio" name="mode" value="INSTANT" checked={mode === 'INSTANT'} onChange={() => setMode('INSTANT')} />
                Instant: book and pay now
              </label>
            </fieldset>
          ) : (
            <p className="muted">{mode === 'REQUEST' ? 'This tutor approves each request before you pay.' : 'You pay now to book.'}</p>
          )}
          <p className="price">
            Price: <strong>{formatMoney(price)}</strong> <span className="muted">for {durationLabel(durationMinutes)}</span>
          </p>
          {book.isError ? <ErrorMessage error={book.error} /> : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={book.isPending || doesNotFit}>
              {book.isPending ? (mode === 'REQUEST' ? 'Sending request…' : 'Booking…') : mode === 'REQUEST' ? 'Request session' : 'Book and pay'}
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
};
