/**
 * The rules of making a booking, pure. The data layer enforces the ones that need the
 * database (no overlap, the open-request limit) inside the booking's transaction.
 */
import { BLOCK_MINUTES, fitsAvailability, type TutorHours } from './availability';
import { addMinutes, MINUTE_MS } from './clock';
import { ForbiddenError, SlotUnavailableError, ValidationError } from './errors';
import { sessionPrice, type Money } from './money';
import { approvalDeadline, type BookingMode } from './session';

/** Bookings start on this grid and last a multiple of it; it is also the hold granularity. */
export const SLOT_MINUTES = BLOCK_MINUTES;
/** The longest session there is. */
export const MAX_SESSION_MINUTES = 240;
/** Every session length there is: whole slots, up to the longest (15, 30, …, 240). */
export const SESSION_DURATIONS: readonly number[] = Array.from({ length: MAX_SESSION_MINUTES / SLOT_MINUTES }, (_, i) => (i + 1) * SLOT_MINUTES);
/** A student may hold at most this many requests awaiting a tutor's answer. */
export const MAX_OPEN_REQUESTS = 5;
/** Nobody books further ahead than this. */
export const MAX_BOOKING_HORIZON_DAYS = 180;
export const DEFAULT_MINIMUM_NOTICE_MINUTES = 15;

export interface BookableTutor extends TutorHours {
  id: string;
  hourlyRate: Money;
  durations: number[];
  bookingModes: BookingMode[];
  minimumNoticeMinutes: number;
  /** Held after each booking's end (shared/domain/availability.ts). */
  bufferMinutes: number;
}

export interface BookingRequest {
  tutorId: string;
  scheduledAt: Date;
  durationMinutes: number;
  bookingMode: BookingMode;
}

export interface BookingTerms {
  price: Money;
  approvalDeadline: Date | null;
  /** The session's blocks and the tutor's buffer after it. */
  holdBlocks: string[];
  bufferMinutes: number;
}

/**
 * Checks a request against the tutor's terms and the clock and returns what the server
 * decides: the price, the approval deadline (REQUEST only) and the blocks to hold. A time
 * outside the tutor's availability is 409 SLOT_UNAVAILABLE (like a time already taken).
 */
export const bookingTerms = (studentId: string, tutor: BookableTutor, req: BookingRequest, now: Date): BookingTerms => {
  if (studentId === tutor.id) throw new ForbiddenError('You cannot book a session with yourself');
  assertBookableTime(tutor, req.scheduledAt, now);
  if (!tutor.durations.includes(req.durationMinutes)) {
    throw new ValidationError('Invalid booking', [{ path: 'durationMinutes', message: `This tutor offers ${tutor.durations.join(', ')} minutes` }]);
  }
  if (!tutor.bookingModes.includes(req.bookingMode)) {
    throw new ValidationError('Invalid booking', [{ path: 'bookingMode', message: `This tutor accepts ${tutor.bookingModes.join(', ')}` }]);
  }
  assertAvailable(tutor, req.scheduledAt, req.durationMinutes);
  return {
    price: sessionPrice(tutor.hourlyRate, req.durationMinutes),
    approvalDeadline: req.bookingMode === 'REQUEST' ? approvalDeadline(now, req.scheduledAt) : null,
    holdBlocks: holdBlocks(req.scheduledAt, req.durationMinutes + tutor.bufferMinutes),
    bufferMinutes: tutor.bufferMinutes,
  };
};

/** 409 SLOT_UNAVAILABLE unless the session lies inside the tutor's availability. */
export const assertAvailable = (tutor: TutorHours, start: Date, durationMinutes: number): void => {
  if (!fitsAvailability(tutor, start, durationMinutes)) {
    throw new SlotUnavailableError(
      tutor.availability.length === 0 ? 'This tutor has not set their available hours yet' : `That time is outside the tutor's available hours (${tutor.timezone})`,
    );
  }
};

/**
 * A start time any booking (or a move) must have: on the grid, at least the tutor's minimum
 * notice from now, within the booking horizon.
 */
export const assertBookableTime = (tutor: Pick<BookableTutor, 'minimumNoticeMinutes'>, scheduledAt: Date, now: Date): void => {
  const start = scheduledAt.getTime();
  if (start % (SLOT_MINUTES * MINUTE_MS) !== 0) {
    throw new ValidationError('Invalid booking', [{ path: 'scheduledAt', message: `Sessions start on a ${SLOT_MINUTES}-minute boundary (e.g. 10:00, 10:15)` }]);
  }
  const earliest = now.getTime() + tutor.minimumNoticeMinutes * MINUTE_MS;
  if (start < earliest) {
    throw new ValidationError('Invalid booking', [{ path: 'scheduledAt', message: `Must be at least ${tutor.minimumNoticeMinutes} minutes from now` }]);
  }
  if (start > now.getTime() + MAX_BOOKING_HORIZON_DAYS * 24 * 60 * MINUTE_MS) {
    throw new ValidationError('Invalid booking', [{ path: 'scheduledAt', message: `Must be within ${MAX_BOOKING_HORIZON_DAYS} days` }]);
  }
};

/** The start of every 15-minute block in [start, start + duration). */
export const holdBlocks = (start: Date, durationMinutes: number): string[] => {
  const blocks: string[] = [];
  for (let m = 0; m < durationMinutes; m += SLOT_MINUTES) blocks.push(addMinutes(start, m).toISOString());
  return blocks;
};

/**
 * Every block a booking holds: the session and the tutor's buffer after it, as it was when
 * the session was booked or last moved (`bufferMinutes` on the session; none on older items).
 */
export const sessionHoldBlocks = (s: { scheduledAt: string; durationMinutes: number; bufferMinutes?: number | null }): string[] =>
  holdBlocks(new Date(s.scheduledAt), s.durationMinutes + (s.bufferMinutes ?? 0));
