import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/context';
import { invalidateSession } from '../../app/invalidate';
import { keys } from '../../app/keys';
import type { TutorView } from '../../lib/types';

export const useTutorSessions = (view: TutorView) => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.tutorSessions(view),
    queryFn: ({ pageParam }) => api.tutorSessions(view, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
};

export const useTutorStats = () => {
  const api = useApi();
  return useQuery({ queryKey: keys.tutorStats, queryFn: () => api.tutorStats() });
};

export const useDecision = () => {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ sessionId, decision, reason }: { sessionId: string; decision: 'approve' | 'reject'; reason?: string }) =>
      decision === 'approve' ? api.approve(sessionId) : api.reject(sessionId, reason ?? ''),
    onSettled: (_r, _e, v) => invalidateSession(qc, v.sessionId),
  });
};
