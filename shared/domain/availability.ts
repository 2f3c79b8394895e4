/**
 * A tutor's weekly availability, pure: windows are wall-clock times on a weekday in the tutor's
 * IANA time zone (`{ day: 'MON', start: '09:00', end: '17:00' }`, `end` may be `24:00`); what
 * fits them, and the free start times. Instants become local times through luxon (the IANA
 * database via Intl), so daylight-saving changes are never computed by hand.
 */
import { DateTime } from 'luxon';
import { MINUTE_MS } from './clock';

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The hold granularity and the grid sessions start on (also `SLOT_MINUTES` in booking.ts). */
export const BLOCK_MINUTES = 15;
const BLOCK_MS = BLOCK_MINUTES * MINUTE_MS;
const DAY_MINUTES = 24 * 60;

/** The widest range one slots request may cover. */
export const MAX_SLOTS_RANGE_DAYS = 14;
/** The longest buffer a tutor may keep after each booking. */
export const MAX_BUFFER_MINUTES = 120;

export interface AvailabilityWindow {
  day: Weekday;
  /** HH:MM, local. */
  start: string;
  /** HH:MM or 24:00, local; after `start`. */
  end: string;
}

export interface TutorHours {
  /** IANA time zone, e.g. Africa/Lagos. */
  timezone: string;
  availability: readonly AvailabilityWindow[];
}

/** 'HH:MM' as minutes since local midnight ('24:00' is 1440). */
export const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** The local weekday and minute of the day at which an instant falls in `timezone`. */
export const localTime = (at: Date | number, timezone: string): { day: Weekday; minute: number } => {
  const local = DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone: timezone });
  if (!local.isValid) throw new Error(`Unknown time zone ${timezone}`);
  return { day: WEEKDAYS[local.weekday - 1]!, minute: local.hour * 60 + local.minute };
};

/** Windows by weekday, as minute ranges. */
const byDay = (windows: readonly AvailabilityWindow[]): Map<Weekday, [number, number][]> => {
  const out = new Map<Weekday, [number, number][]>();
  for (const w of windows) {
    const ranges = out.get(w.day) ?? [];
    ranges.push([minutesOf(w.start), Math.min(minutesOf(w.end), DAY_MINUTES)]);
    out.set(w.day, ranges);
  }
  return out;
};

/**
 * A checker for one tutor: is the 15-minute block starting at `blockStartMs` inside their hours?
 * It is when it lies inside some window of the weekday on which it starts, local time: its local
 * start minute m satisfies `start <= m` and `m + 15 <= end`, so a window that ends off the grid
 * (09:00–09:50) never gets a block that runs past its end. No windows at all means the tutor has
 * not set their hours: nothing is inside.
 */
export const blockChecker = (hours: TutorHours): ((blockStartMs: number) => boolean) => {
  const windows = byDay(hours.availability);
  if (windows.size === 0) return () => false;
  return (blockStartMs) => {
    const { day, minute } = localTime(blockStartMs, hours.timezone);
    return (windows.get(day) ?? []).some(([start, end]) => start <= minute && minute + BLOCK_MINUTES <= end);
  };
};

/**
 * Whether a session [start, start + durationMinutes) lies inside the tutor's hours: each of its
 * blocks, judged one by one (blockChecker). So a session that crosses midnight fits when both
 * days' windows cover their part (MON 22:00–24:00 and TUE 00:00–02:00 take a MON 23:00 two-hour
 * session), and on DST days the local times count: on a spring-forward day the skipped hour has
 * no blocks, on a fall-back day the repeated hour has twice as many.
 */
export const fitsAvailability = (hours: TutorHours, start: Date, durationMinutes: number): boolean => {
  const inside = blockChecker(hours);
  for (let m = 0; m < durationMinutes; m += BLOCK_MINUTES) {
    if (!inside(start.getTime() + m * MINUTE_MS)) return false;
  }
  return true;
};

export interface SlotQuery {
  /** First possible start (rounded up to the grid). */
  from: Date;
  /** Starts are before this. */
  to: Date;
  durationMinutes: number;
}

export interface SlotTutor extends TutorHours {
  /** A start earlier than now + this is not offered (and refused by `bookingTerms`). */
  minimumNoticeMinutes: number;
  /**
   * A booking holds its blocks and this much more after its end ([start, end + buffer)), in the
   * booking's own transaction, so two bookings of the tutor are always at least the buffer
   * apart, enforced by the database as overlaps are.
   */
  bufferMinutes: number;
}

export interface Slot {
  start: string;
  end: string;
}

/** The first instant on the 15-minute grid at or after `at`. */
export const ceilToGrid = (at: Date): Date => new Date(Math.ceil(at.getTime() / BLOCK_MS) * BLOCK_MS);

/**
 * The free start times on the grid in [from, to): inside the tutor's hours, not earlier
 * than the minimum notice, not later than `latest` (the booking horizon), and such that the
 * blocks a booking there would hold ([start, end + buffer)) are none of `held`.
 */
export const freeSlots = (tutor: SlotTutor, q: SlotQuery, held: ReadonlySet<string>, now: Date, latest?: Date): Slot[] => {
  const inside = blockChecker(tutor);
  const duration = q.durationMinutes * MINUTE_MS;
  const holdSpan = (q.durationMinutes + tutor.bufferMinutes) * MINUTE_MS;
  const earliest = Math.max(ceilToGrid(q.from).getTime(), now.getTime() + tutor.minimumNoticeMinutes * MINUTE_MS);
  const first = Math.ceil(earliest / BLOCK_MS) * BLOCK_MS;
  const last = Math.min(q.to.getTime() - 1, latest?.getTime() ?? Number.POSITIVE_INFINITY);
  if (first > last || tutor.availability.length === 0) return [];

  // Every block is judged once: whether it is inside the hours, whether it is held.
  const blocks = Math.floor((last - first) / BLOCK_MS) + 1 + Math.ceil(holdSpan / BLOCK_MS);
  const open: boolean[] = [];
  const free: boolean[] = [];
  for (let i = 0; i < blocks; i += 1) {
    const at = first + i * BLOCK_MS;
    open.push(inside(at));
    free.push(!held.has(new Date(at).toISOString()));
  }
  const sessionBlocks = q.durationMinutes / BLOCK_MINUTES;
  const heldBlocks = Math.ceil(holdSpan / BLOCK_MS);
  const slots: Slot[] = [];
  for (let i = 0, at = first; at <= last; i += 1, at += BLOCK_MS) {
    let ok = true;
    for (let b = 0; ok && b < heldBlocks; b += 1) ok = free[i + b]! && (b >= sessionBlocks || open[i + b]!);
    if (ok) slots.push({ start: new Date(at).toISOString(), end: new Date(at + duration).toISOString() });
  }
  return slots;
};
