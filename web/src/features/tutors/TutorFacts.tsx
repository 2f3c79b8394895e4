/** A tutor's offer at a glance, on the list and on the tutor's page: the rating, the rate, the lengths and the ways to book. */
import { formatMoney } from '../../lib/money';
import { durationLabel } from '../../lib/time';
import type { BookingMode, TutorProfile } from '../../lib/types';

export const modeLabel = (m: BookingMode): string => (m === 'REQUEST' ? 'On request' : 'Instant booking');

export const Rating = ({ average, count }: { average: number | null; count: number }) =>
  count > 0 && average !== null ? (
    <p className="rating">
      <span aria-hidden="true">★ </span>
      {average.toFixed(1)} out of 5 · {count} {count === 1 ? 'review' : 'reviews'}
    </p>
  ) : (
    <p className="rating muted">No reviews yet</p>
  );

/** What a tutor offers: the rate, the lengths and the ways to book. */
export const TutorFacts = ({ tutor: t }: { tutor: Pick<TutorProfile, 'hourlyRate' | 'durations' | 'bookingModes'> }) => (
  <dl className="facts">
    <div>
      <dt>Rate</dt>
      <dd>{formatMoney(t.hourlyRate)} per hour</dd>
    </div>
    <div>
      <dt>Lengths</dt>
      <dd>{t.durations.map(durationLabel).join(', ')}</dd>
    </div>
    <div>
      <dt>Booking</dt>
      <dd>{t.bookingModes.map(modeLabel).join(', ')}</dd>
    </div>
  </dl>
);
