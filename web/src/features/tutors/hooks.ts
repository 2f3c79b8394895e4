import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/context';
import { invalidateSession } from '../../app/invalidate';
import { keys } from '../../app/keys';
import type { BookingInput, SessionDuration } from '../../lib/types';
import { nextDays } from '../../lib/time';

export const useTutors = () => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.tutors,
    queryFn: ({ pageParam }) => api.tutors(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
};

export const useTutor = (tutorId: string) => {
  const api = useApi();
  return useQuery({ queryKey: keys.tutor(tutorId), queryFn: () => api.tutor(tutorId) });
};

/** The tutor's free start times for one length over the next 14 days. */
export const useFreeSlots = (tutorId: string, durationMinutes: SessionDuration | undefined) => {
  const api = useApi();
  return useQuery({
    queryKey: keys.slots(tutorId, durationMinutes ?? 0),
    queryFn: () => api.slots(tutorId, { ...nextDays(new Date()), durationMinutes: durationMinutes! }),
    enabled: durationMinutes !== undefined,
    // Someone else may book a time meanwhile: refresh when the page comes back into view.
    staleTime: 30_000,
  });
};

export const useBook = () => {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: BookingInput) => api.book(input),
    onSuccess: (res) => invalidateSession(qc, res.session.id),
  });
};
