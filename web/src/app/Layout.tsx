/** The frame of every page: skip link, header with the navigation and the bell, the page. */
import { NavLink, Outlet } from 'react-router';
import { SignInButton } from '../features/auth/RequireSignIn';
import { useRoles } from '../features/me/useMe';
import { Bell } from '../features/notifications/Bell';
import { useBrowserTimeZone } from '../features/settings/useBrowserTimeZone';
import { useAuth } from '../lib/auth';

export const Layout = () => {
  const { identity, signOut, loading } = useAuth();
  const { has } = useRoles();
  useBrowserTimeZone();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <NavLink to="/" className="brand">
          Mentorship
        </NavLink>
        <nav aria-label="Main">
          <ul>
            {identity ? (
              <>
                <li>
                  <NavLink to="/mentorship/mentors">Find a tutor</NavLink>
                </li>
                {has('student') ? (
                  <li>
                    <NavLink to="/mentorship/sessions">My sessions</NavLink>
                  </li>
                ) : null}
                {has('tutor') ? (
                  <>
                    <li>
                      <NavLink to="/tutor/mentorship">Dashboard</NavLink>
                    </li>
                    <li>
                      <NavLink to="/tutor/wallet">Wallet</NavLink>
                    </li>
                    <li>
                      <NavLink to="/tutor/profile">Profile</NavLink>
                    </li>
                  </>
                ) : (
                  <li>
                    <NavLink to="/become-a-tutor">Become a tutor</NavLink>
                  </li>
                )}
                {has('admin') ? (
                  <li>
                    <NavLink to="/admin">Admin</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink to="/settings/notifications">Email preferences</NavLink>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <div className="account">
          {identity ? (
            <>
              <Bell />
              <span className="who" title={identity.email}>
                {identity.name}
              </span>
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : loading ? null : (
            <SignInButton />
          )}
        </div>
      </header>
      <div id="main" tabIndex={-1}>
        <Outlet />
      </div>
    </>
  );
};
