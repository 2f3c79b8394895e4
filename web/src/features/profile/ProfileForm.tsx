/**
 * The tutor profile: rates, lengths, booking modes, time zone, weekly windows (in that time
 * zone), buffer and minimum notice. Used to apply as a tutor and, once one, to edit it.
 */
import { useMemo, useState, type SubmitEvent, type ReactNode } from 'react';
import { formatMoney, toMajorUnits, toMinorUnits } from '../../lib/money';
import { durationLabel, timeZones, viewerZone } from '../../lib/time';
import type { AvailabilityWindow, BookingMode, TutorProfileInput, Weekday } from '../../lib/types';
import { CURRENCIES, SESSION_DURATIONS } from '../../lib/types';

const WEEKDAYS: { day: Weekday; label: string }[] = [
  { day: 'MON', label: 'Monday' },
  { day: 'TUE', label: 'Tuesday' },
  { day: 'WED', label: 'Wednesday' },
  { day: 'THU', label: 'Thursday' },
  { day: 'FRI', label: 'Friday' },
  { day: 'SAT', label: 'Saturday' },
  { day: 'SUN', label: 'Sunday' },
];
const BUFFERS = Array.from({ length: 9 }, (_, i) => i * 15);

export const emptyProfile = (name: string): TutorProfileInput => ({
  displayName: name,
  bio: '',
  hourlyRate: { amount: 1_000_000, currency: 'NGN' },
  durations: [30, 60],
  bookingModes: ['REQUEST', 'INSTANT'],
  timezone: viewerZone(),
  availability: ['MON', 'TUE', 'WED', 'THU', 'FRI'].map((day) => ({ day: day as Weekday, start: '09:00', end: '17:00' })),
  minimumNoticeMinutes: 60,
  bufferMinutes: 0,
});

interface Row extends AvailabilityWindow {
  key: number;
}

/** A time input has no 24:00: an end of 00:00 means midnight at the end of the day. */
const toEnd = (v: string) => (v === '00:00' ? '24:00' : v);
const fromEnd = (v: string) => (v === '24:00' ? '00:00' : v);

export const ProfileForm = ({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  initial: TutorProfileInput;
  submitLabel: string;
  pending: boolean;
  error?: ReactNode;
  onSubmit: (p: TutorProfileInput) => void;
}) => {
  const [displayName, setName] = useState(initial.displayName);
  const [bio, setBio] = useState(initial.bio);
  const [currency, setCurrency] = useState(initial.hourlyRate.currency);
  const [rate, setRate] = useState(toMajorUnits(initial.hourlyRate));
  const [durations, setDurations] = useState(new Set(initial.durations));
  const [modes, setModes] = useState(new Set(initial.bookingModes));
  const [timezone, setTimezone] = useState(initial.timezone);
  const [rows, setRows] = useState<Row[]>(initial.availability.map((w, i) => ({ ...w, key: i })));
  const [nextKey, setNextKey] = useState(initial.availability.length);
  const [notice, setNotice] = useState(String(initial.minimumNoticeMinutes));
  const [buffer, setBuffer] = useState(initial.bufferMinutes);
  const [problem, setProblem] = useState<string | null>(null);
  const zones = useMemo(() => timeZones(), []);

  const toggle = <T,>(set: Set<T>, value: T, update: (s: Set<T>) => void) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    update(next);
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const amount = toMinorUnits(rate, currency);
    const noticeMinutes = Number(notice);
    const problems = [
      !displayName.trim() ? 'Give your name as students will see it.' : null,
      amount === null || amount <= 0 ? 'The hourly rate must be an amount above zero.' : null,
      durations.size === 0 ? 'Offer at least one session length.' : null,
      modes.size === 0 ? 'Accept at least one booking mode.' : null,
      rows.some((r) => toEnd(r.end) <= r.start) ? 'Each window must end after it starts.' : null,
      !Number.isInteger(noticeMinutes) || noticeMinutes < 0 ? 'The minimum notice must be a whole number of minutes.' : null,
    ].filter((p): p is string => p !== null);
    setProblem(problems.length ? problems.join(' ') : null);
    if (problems.length) return;
    onSubmit({
      displayName: displayName.trim(),
      bio: bio.trim(),
      hourlyRate: { amount: amount!, currency },
      durations: [...durations].sort((a, b) => a - b),
      bookingModes: [...modes],
      timezone,
      availability: rows.map(({ day, start, end }) => ({ day, start, end: toEnd(end) })),
      minimumNoticeMinutes: noticeMinutes,
      bufferMinutes: buffer,
    });
  };

  const parsedRate = toMinorUnits(rate, currency);
  return (
    <form onSubmit={submit} className="form" noValidate>
      <label>
        Display name
        <input value={displayName} onChange={(e) => setName(e.target.value)} required maxLength={80} autoComplete="name" />
      </label>
      <label>
        Bio
        <textarea value={bio} onChange={(e) => setBio(e.target.value)} maxLength={2000} rows={4} />
      </label>
      <div className="row">
        <label>
          Currency
          <select value={currency} onChange={(e) => setCurrency(CURRENCIES.find((c) => c === e.target.value) ?? currency)}>
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Hourly rate
          <input value={rate} onChange={(e) => setRate(e.target.value)} inputMode="decimal" required aria-describedby="rate-preview" />
        </label>
      </div>
      <p id="rate-preview" className="muted small">
        {parsedRate !== null ? `${formatMoney({ amount: parsedRate, currency })} per hour` : 'Enter an amount such as 15000 or 15000.50'}
      </p>
      <fieldset>
        <legend>Session lengths</legend>
        <div className="chips">
          {SESSION_DURATIONS.map((d) => (
            <label key={d} className="inline">
              <input type="checkbox" checked={durations.has(d)} onChange={() => toggle(durations, d, setDurations)} />
              {durationLabel(d)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Booking modes</legend>
        {(['REQUEST', 'INSTANT'] as BookingMode[]).map((m) => (
          <label key={m} className="inline">
            <input type="checkbox" checked={modes.has(m)} onChange={() => toggle(modes, m, setModes)} />
            {m === 'REQUEST' ? 'Request: you approve each booking first' : 'Instant: students book and pay at once'}
          </label>
        ))}
      </fieldset>
      <label>
        Time zone
        <select value={timezone} onChange={(e) => setTimezone(e.target.value)}>
          {(zones.includes(timezone) ? zones : [timezone, ...zones]).map((z) => (
            <option key={z}>{z}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Weekly availability ({timezone})</legend>
        {rows.length === 0 ? <p className="muted">No hours yet: students cannot book you until you add some.</p> : null}
        <ul className="windows">
          {rows.map((r, i) => (
            <li key={r.key} className="row">
              <label>
                Day
                <select value={r.day} onChange={(e) => setRows(rows.map((x) => (x.key === r.key ? { ...x, day: e.target.value as Weekday } : x)))}>
                  {WEEKDAYS.map((w) => (
                    <option key={w.day} value={w.day}>
                      {w.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                From
                <input type="time" step={900} value={r.start} onChange={(e) => setRows(rows.map((x) => (x.key === r.key ? { ...x, start: e.target.value } : x)))} />
              </label>
              <label>
                To
                <input type="time" step={900} value={fromEnd(r.end)} onChange={(e) => setRows(rows.map((x) => (x.key === r.key ? { ...x, end: e.target.value } : x)))} />
              </label>
              <button type="button" onClick={() => setRows(rows.filter((x) => x.key !== r.key))} aria-label={`Remove window ${i + 1}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <p className="muted small">An end of 00:00 means midnight at the end of the day.</p>
        <button
          type="button"
          onClick={() => {
            setRows([...rows, { key: nextKey, day: 'MON', start: '09:00', end: '17:00' }]);
            setNextKey(nextKey + 1);
          }}
        >
          Add a window
        </button>
      </fieldset>
      <div className="row">
        <label>
          Buffer after each session
          <select value={buffer} onChange={(e) => setBuffer(Number(e.target.value))}>
            {BUFFERS.map((b) => (
              <option key={b} value={b}>
                {b === 0 ? 'None' : durationLabel(b)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Minimum notice (minutes)
          <input type="number" min={0} max={20160} step={15} value={notice} onChange={(e) => setNotice(e.target.value)} />
        </label>
      </div>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      {error}
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
};
