/**
 * Times as the viewer reads them: every instant the API sends is UTC; it is shown in the
 * viewer's own zone (or a zone they pick), formatted by Intl through luxon. Nothing here adds
 * or splits times by hand: luxon's DateTime and Duration do the calendar work.
 */
import { DateTime, Duration } from 'luxon';

/** The browser's time zone, e.g. Africa/Lagos. */
export const viewerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export interface FormatOptions {
  zone: string;
  /** BCP 47 locale; default the browser's. */
  locale?: string | undefined;
}

const at = (iso: string, { zone, locale }: FormatOptions): DateTime => {
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return locale ? dt.setLocale(locale) : dt;
};

/** "Tue, 4 Nov 2026, 14:15 WAT": a session's start, with the zone named. */
export const formatDateTime = (iso: string, opts: FormatOptions): string =>
  at(iso, opts).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

/** "14:15". */
export const formatTime = (iso: string, opts: FormatOptions): string => at(iso, opts).toLocaleString({ hour: '2-digit', minute: '2-digit' });

/** "Tue, 4 Nov". */
export const formatDay = (iso: string, opts: FormatOptions): string => at(iso, opts).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' });

/** A free slot's accessible name: its local day and time, unique within 14 days ("Tue, 4 Nov, 14:15"). */
export const slotLabel = (iso: string, opts: FormatOptions): string => `${formatDay(iso, opts)}, ${formatTime(iso, opts)}`;

/** The local calendar day an instant falls on, "2026-11-04": slots are grouped by it. */
export const localDay = (iso: string, zone: string): string => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate() ?? iso.slice(0, 10);

/** Groups start times by the viewer's local day, in order. */
export const groupByLocalDay = <T extends { start: string }>(slots: readonly T[], zone: string): { day: string; slots: T[] }[] => {
  const groups = new Map<string, T[]>();
  for (const slot of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const day = localDay(slot.start, zone);
    const list = groups.get(day);
    if (list) list.push(slot);
    else groups.set(day, [slot]);
  }
  return [...groups].map(([day, list]) => ({ day, slots: list }));
};

/** The range of free slots a tutor page shows: from now, 14 days. */
export const nextDays = (now: Date, days = 14): { from: string; to: string } => {
  const from = DateTime.fromJSDate(now, { zone: 'utc' });
  return { from: from.toISO()!, to: from.plus({ days }).toISO()! };
};

interface Timed {
  scheduledAt: string;
  durationMinutes: number;
  status: string;
}

/** The session's end: its start plus its length. */
export const sessionEnd = (s: Pick<Timed, 'scheduledAt' | 'durationMinutes'>): Date =>
  DateTime.fromISO(s.scheduledAt, { zone: 'utc' }).plus({ minutes: s.durationMinutes }).toJSDate();

export type LivePhase = 'before' | 'live' | 'ended' | 'off';

/**
 * Where a session stands at `now`: live from its start to its end inclusive, and only while it
 * is going ahead (SCHEDULED or IN_PROGRESS), as the API's `isLive` says; `off` for one that is
 * not going ahead (a request, a cancelled or rejected session).
 */
export const livePhase = (s: Timed, now: Date): LivePhase => {
  const start = Date.parse(s.scheduledAt);
  const end = sessionEnd(s).getTime();
  const t = now.getTime();
  if (s.status === 'COMPLETED') return 'ended';
  if (s.status !== 'SCHEDULED' && s.status !== 'IN_PROGRESS') return 'off';
  if (t < start) return 'before';
  return t <= end ? 'live' : 'ended';
};

export const isLive = (s: Timed, now: Date): boolean => livePhase(s, now) === 'live';

/** "2h 5m", "3d 4h", "5m", "42s": the two largest units, rounded down (never "0m"). */
export const shortDuration = (ms: number): string => {
  const d = Duration.fromMillis(Math.max(0, ms)).shiftTo('days', 'hours', 'minutes', 'seconds');
  const parts: [number, string][] = [
    [d.days, 'd'],
    [d.hours, 'h'],
    [d.minutes, 'm'],
    [Math.floor(d.seconds), 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  const shown = parts.slice(first, first + 2).filter(([n]) => n > 0);
  // Seconds only matter in the last minute.
  const trimmed = shown.length > 1 && shown[1]![1] === 's' && shown[0]![1] !== 'm' ? shown.slice(0, 1) : shown;
  return trimmed.map(([n, unit]) => `${n}${unit}`).join(' ');
};

/** The session page's countdown: "Starts in 2h 5m", "Live now · ends in 35m", "Ended". */
export const countdownText = (s: Timed, now: Date): string | null => {
  switch (livePhase(s, now)) {
    case 'before':
      return `Starts in ${shortDuration(Date.parse(s.scheduledAt) - now.getTime())}`;
    case 'live':
      return `Live now · ends in ${shortDuration(sessionEnd(s).getTime() - now.getTime())}`;
    case 'ended':
      return 'Ended';
    case 'off':
      return null;
  }
};

/** "45 min", "1 h", "1 h 30 min". */
export const durationLabel = (minutes: number): string => {
  const d = Duration.fromObject({ minutes }).shiftTo('hours', 'minutes');
  return [d.hours ? `${d.hours} h` : '', d.minutes ? `${d.minutes} min` : ''].filter(Boolean).join(' ') || '0 min';
};

/** Every IANA zone the browser knows, for the profile's time zone picker. */
export const timeZones = (): string[] => {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
};

/** The API's zone for a user who never chose one. */
const UNSET_ZONE = 'UTC';

/** The zone a preferences form starts with: the browser's while the saved one is the API's default, else the saved one. */
export const initialZone = (saved: string, browser: string): string => (saved === UNSET_ZONE && browser ? browser : saved);

/**
 * The zone to save for a user on signing in: the browser's, while nobody ever saved one (the
 * API answers `timeZoneSet: false`); null otherwise, so that a zone the user chose (UTC
 * included) is never overwritten.
 */
export const zoneToSave = (saved: { timeZone: string; timeZoneSet: boolean }, browser: string): string | null => (!saved.timeZoneSet && browser ? browser : null);
