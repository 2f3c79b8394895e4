import type { BookingMode } from '../../lib/types';

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
