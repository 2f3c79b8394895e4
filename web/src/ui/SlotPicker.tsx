/**
 * Free times of the next 14 days in the viewer's zone: a tab per day ("Sat 5 Dec"), and in
 * its panel that day's times, each a button named by its local day and time ("Sat 5 Dec,
 * 12:00"); the chosen one is pressed.
 */
import { useMemo, useState } from 'react';
import { formatDay, formatTime, groupByLocalDay, slotLabel } from '../lib/time';
import type { Slot } from '../lib/types';
import { Tabs } from './Tabs';

export const SlotPicker = ({ slots, zone, selected, onPick }: { slots: Slot[]; zone: string; selected: string | null; onPick: (start: string) => void }) => {
  const days = useMemo(() => groupByLocalDay(slots, zone), [slots, zone]);
  const [dayKey, setDayKey] = useState<string | null>(null);
  const day = days.find((d) => d.day === dayKey) ?? days[0];
  if (!day) return <p className="empty">No free times in the next 14 days.</p>;
  return (
    <div className="slot-picker">
      <Tabs label="Days" tabs={days.map((d) => ({ key: d.day, label: formatDay(d.slots[0]!.start, { zone }) }))} selected={day.day} onSelect={setDayKey}>
        <div className="slots">
          {day.slots.map((s) => (
            <button key={s.start} type="button" aria-pressed={s.start === selected} aria-label={slotLabel(s.start, { zone })} onClick={() => onPick(s.start)}>
              {formatTime(s.start, { zone })}
            </button>
          ))}
        </div>
      </Tabs>
    </div>
  );
};
