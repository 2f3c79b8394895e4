/** The start page: what this is, sign in, and where to go next for each role. */
import { Link } from 'react-router';
import { useAuth } from '../../lib/auth';
import { useRoles } from '../me/useMe';

export const Home = () => {
  const { identity, loading } = useAuth();
  const { has } = useRoles();
  return (
    <main className="page">
      <h1>One-to-one mentorship sessions</h1>
      {loading ? null : identity ? (
        <>
          <p>Welcome, {identity.name}.</p>
          <ul className="cards">
            <li className="card">
              <h2>Find a tutor</h2>
              <p>Browse tutors, pick a free time in your time zone and book.</p>
              <Link to="/mentorship/mentors">Browse tutors</Link>
            </li>
            {has('student') ? (
              <li className="card">
                <h2>Your sessions</h2>
                <p>Requests awaiting approval, payments due, upcoming sessions and history.</p>
                <Link to="/mentorship/sessions">Open your sessions</Link>
              </li>
            ) : null}
            {has('tutor') ? (
              <li className="card">
                <h2>Tutor dashboard</h2>
                <p>Approve requests, see what is coming up and what you earned.</p>
                <Link to="/tutor/mentorship">Open the dashboard</Link>
              </li>
            ) : (
              <li className="card">
                <h2>Teach here</h2>
                <p>Apply to become a tutor: an administrator reviews your application.</p>
                <Link to="/become-a-tutor">Apply to become a tutor</Link>
              </li>
            )}
            {has('admin') ? (
              <li className="card">
                <h2>Administration</h2>
                <p>Sessions by status and tutor applications.</p>
                <Link to="/admin">Open administration</Link>
              </li>
            ) : null}
          </ul>
        </>
      ) : (
        <>
          <p>Book paid sessions with experienced tutors, by request or instantly, and meet them online.</p>
          <p>Use “Sign in” at the top of the page. New here? The sign-in page lets you create an account: you start as a student.</p>
        </>
      )}
    </main>
  );
};
