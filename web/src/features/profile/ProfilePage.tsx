/** The tutor's profile and availability (PUT /tutors/me). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/context';
import { keys } from '../../app/keys';
import { useAuth } from '../../lib/auth';
import type { TutorProfileInput } from '../../lib/types';
import { ErrorMessage, Loading } from '../../ui/states';
import { emptyProfile, ProfileForm } from './ProfileForm';

export const ProfilePage = () => {
  const api = useApi();
  const qc = useQueryClient();
  const { identity } = useAuth();
  const id = identity?.id ?? '';
  const profile = useQuery({ queryKey: keys.tutor(id), queryFn: () => api.tutor(id), enabled: id !== '' });
  const save = useMutation({
    mutationFn: (p: TutorProfileInput) => api.saveMyProfile(p),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: keys.tutor(id) }), qc.invalidateQueries({ queryKey: keys.tutors }), qc.invalidateQueries({ queryKey: keys.allSlots })]),
  });
  const notFound = profile.isError && (profile.error as { status?: number }).status === 404;
  return (
    <main className="page">
      <h1>Profile and availability</h1>
      {profile.isPending ? <Loading label="Loading your profile…" /> : null}
      {profile.isError && !notFound ? <ErrorMessage error={profile.error} onRetry={() => void profile.refetch()} /> : null}
      {profile.isSuccess || notFound ? (
        <ProfileForm
          key={profile.dataUpdatedAt}
          initial={profile.data ?? emptyProfile(identity?.name ?? '')}
          submitLabel="Save profile"
          pending={save.isPending}
          error={save.isError ? <ErrorMessage error={save.error} /> : null}
          onSubmit={(p) => save.mutate(p)}
        />
      ) : null}
      <p role="status">{save.isSuccess && !save.isPending ? 'Saved.' : ''}</p>
    </main>
  );
};
