/** "Reschedule": pick another free time of the tutor's (same length and price). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../app/context';
import { keys } from '../../app/keys';
import { formatDateTime, nextDays, viewerZone } from '../../lib/time';
import type { Session } from '../../lib/types';
import { Dialog } from '../../ui/Dialog';
import { SlotPicker } from '../../ui/SlotPicker';
import { ErrorMessage, Loading } from '../../ui/states';
import { useSessionAction } from './hooks';

export const RescheduleDialog = ({ session, onClose }: { session: Session; onClose: () => void }) => {
  const api = useApi();
  const zone = viewerZone();
  const slots = useQuery({
    queryKey: keys.slots(session.tutorId, session.durationMinutes),
    queryFn: () => api.slots(session.tutorId, { ...nextDays(new Date()), durationMinutes: session.durationMinutes }),
  });
  const move = useSessionAction(session.id, (scheduledAt: string) => api.reschedule(session.id, scheduledAt));
  const [picked, setPicked] = useState<string | null>(null);
  return (
    <Dialog open title={`Move “${session.title}”`} onClose={onClose}>
      <p>
        Now: <strong>{formatDateTime(session.scheduledAt, { zone })}</strong>. The length and the price stay the same.
      </p>
      {slots.isPending ? <Loading label="Loading free times…" /> : null}
      {slots.isError ? <ErrorMessage error={slots.error} onRetry={() => void slots.refetch()} /> : null}
      {slots.isSuccess ? <SlotPicker slots={slots.data.items.filter((s) => s.start !== session.scheduledAt)} zone={zone} selected={picked} onPick={setPicked} /> : null}
      {picked ? (
        <p>
          New time: <strong>{formatDateTime(picked, { zone })}</strong>
        </p>
      ) : null}
      {move.isError ? <ErrorMessage error={move.error} /> : null}
      <div className="actions">
        <button type="button" className="primary" disabled={!picked || move.isPending} onClick={() => picked && move.mutate(picked, { onSuccess: onClose })}>
          {move.isPending ? 'Moving…' : 'Move to this time'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
};
