import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../../app/context';
import { invalidateSession } from '../../app/invalidate';
import { keys } from '../../app/keys';

/** While the payment is being confirmed the page asks again this often (the WebSocket push usually comes first). */
export const PAYMENT_POLL_MS = 3_000;

export const useSession = (sessionId: string, opts: { poll: boolean }) => {
  const api = useApi();
  return useQuery({
    queryKey: keys.session(sessionId),
    queryFn: () => api.session(sessionId),
    refetchInterval: opts.poll ? PAYMENT_POLL_MS : false,
  });
};

export const useRecordings = (sessionId: string, enabled: boolean) => {
  const api = useApi();
  return useQuery({ queryKey: keys.recordings(sessionId), queryFn: () => api.recordings(sessionId), enabled });
};

/** Mutations on one session: each refreshes everything the session touches. */
export const useSessionAction = <V>(sessionId: string, run: (v: V) => Promise<unknown>) => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: run, onSettled: () => invalidateSession(qc, sessionId) });
};

/** The clock, ticking: the countdown and the join button follow it between fetches. */
export const useNow = (everyMs = 1_000): Date => {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
};
