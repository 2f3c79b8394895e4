/** "Become a tutor": send the profile you would publish; an administrator approves it. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../app/context';
import { keys } from '../../app/keys';
import { useAuth } from '../../lib/auth';
import type { TutorProfileInput } from '../../lib/types';
import { ErrorMessage } from '../../ui/states';
import { useMe, useRoles } from '../me/useMe';
import { emptyProfile, ProfileForm } from './ProfileForm';

export const BecomeTutorPage = () => {
  const api = useApi();
  const qc = useQueryClient();
  const { identity } = useAuth();
  const { has } = useRoles();
  const application = useMe().data?.tutorApplication ?? null;
  const apply = useMutation({
    mutationFn: (p: TutorProfileInput) => api.applyAsTutor(p),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
  });
  if (has('tutor'))
    return (
      <main className="page">
        <h1>Become a tutor</h1>
        <p>
          You are a tutor. <Link to="/tutor/mentorship">Open your dashboard</Link>
        </p>
      </main>
    );
  return (
    <main className="page">
      <h1>Become a tutor</h1>
      {apply.isSuccess || application?.status === 'PENDING' || application?.status === 'APPROVING' ? (
        <p role="status" className="note">
          Application sent. An administrator reviews it; you get a notification with the answer.
        </p>
      ) : application?.status === 'APPROVED' ? (
        <p role="status" className="note">
          Your application was approved. Your tutor pages appear as soon as your sign-in is renewed.
        </p>
      ) : (
        <>
          {application?.status === 'DECLINED' ? (
            <p className="note">Your last application was declined{application.reason ? `: ${application.reason}` : ''}. You may apply again.</p>
          ) : null}
          <p>Tell students who you are, what you charge and when you are free. An administrator reviews your application before your profile is published.</p>
          <ProfileForm
            initial={emptyProfile(identity?.name ?? '')}
            submitLabel="Apply to become a tutor"
            pending={apply.isPending}
            error={apply.isError ? <ErrorMessage error={apply.error} /> : null}
            onSubmit={(p) => apply.mutate(p)}
          />
        </>
      )}
    </main>
  );
};
