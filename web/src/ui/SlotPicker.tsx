/**
 * Free times of the next 14 days in the viewer's zone: a day, then that day's times. Each time
 * is a button named by its local day and time; the chosen one is pressed.
 */
import { useMemo, useState } from 'react';
import { formatDay, groupByLocalDay, slotLabel, formatTime } from '../lib/time';
import type { Slot } from '../lib/types';

export const SlotPicker = ({ slots, zone, selected, onPick }: { slots: Slot[]; zone: string; selected: string | null; onPick: (start: string) => void }) => {
  const days = useMemo(() => groupByLocalDay(slots, zone), [slots, zone]);
  const [dayKey, setDayKey] = useState<string | null>(null);
  const day = days.find((d) => d.day === dayKey) ?? days[0];
  if (!day) return <p className="empty">No free times in the next 14 days.</p>;
  return (
    <div className="slot-picker">
      <div role="group" aria-label="Days" className="chips">
        {days.map((d) => (
          <button key={d.day} type="button" aria-pressed={d.day === day.day} onClick={() => setDayKey(d.day)}>
            {formatDay(d.slots[0]!.start, { zone })}
            <span className="muted small"> · {d.slots.length}</span>
          </button>
        ))}
      </div>
      <div role="group" aria-label={`Free times on ${formatDay(day.slots[0]!.start, { zone })}`} className="slots">
        {day.slots.map((s) => (
          <button key={s.start} type="button" aria-pressed={s.start === selected} aria-label={slotLabel(s.start, { zone })} onClick={() => onPick(s.start)}>
            {formatTime(s.start, { zone })}
          </button>
        ))}
      </div>
    </div>
  );
};
