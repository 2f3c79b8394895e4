import { Link } from 'react-router';
import type { TutorProfile } from '../../lib/types';
import { ErrorMessage, Loading } from '../../ui/states';
import { useTutors } from './hooks';
import { Rating, TutorFacts } from './TutorFacts';

const TutorCard = ({ t }: { t: TutorProfile }) => (
  <li className="card">
    <h2>
      <Link to={`/mentorship/mentors/${encodeURIComponent(t.id)}`}>{t.displayName}</Link>
    </h2>
    <Rating average={t.ratingAverage} count={t.ratingCount} />
    {t.bio ? <p className="bio">{t.bio}</p> : null}
    <TutorFacts tutor={t} />
  </li>
);

export const TutorListPage = () => {
  const list = useTutors();
  const tutors = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main className="page">
      <h1>Find a tutor</h1>
      {list.isPending ? <Loading label="Loading tutors…" /> : null}
      {list.isError ? <ErrorMessage error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && tutors.length === 0 ? <p className="empty">No tutors yet.</p> : null}
      <ul className="cards">
        {tutors.map((t) => (
          <TutorCard key={t.id} t={t} />
        ))}
      </ul>
      {list.hasNextPage ? (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'More tutors'}
        </button>
      ) : null}
    </main>
  );
};
