import { Route, Routes } from 'react-router';
import { AdminPage } from '../features/admin/AdminPage';
import { AuthCallback } from '../features/auth/AuthCallback';
import { RequireSignIn } from '../features/auth/RequireSignIn';
import { Home } from '../features/home/Home';
import { MySessionsPage } from '../features/my-sessions/MySessionsPage';
import { NotificationsPage } from '../features/notifications/NotificationsPage';
import { BecomeTutorPage } from '../features/profile/BecomeTutorPage';
import { ProfilePage } from '../features/profile/ProfilePage';
import { EmailPreferencesPage } from '../features/settings/EmailPreferencesPage';
import { UnsubscribePage } from '../features/settings/UnsubscribePage';
import { SessionPage } from '../features/session/SessionPage';
import { TutorDashboardPage } from '../features/tutor-dashboard/TutorDashboardPage';
import { TutorListPage } from '../features/tutors/TutorListPage';
import { TutorPage } from '../features/tutors/TutorPage';
import { WalletPage } from '../features/wallet/WalletPage';
import { CALLBACK_PATH } from '../lib/auth';
import { Layout } from './Layout';

const NotFound = () => (
  <main className="page">
    <h1>Page not found</h1>
    <p>
      <a href="/">Back to the start page</a>
    </p>
  </main>
);

export const App = () => (
  <Routes>
    <Route path={CALLBACK_PATH} element={<AuthCallback />} />
    <Route element={<Layout />}>
      <Route index element={<Home />} />
      <Route
        path="/mentorship/mentors"
        element={
          <RequireSignIn>
            <TutorListPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/mentorship/mentors/:tutorId"
        element={
          <RequireSignIn>
            <TutorPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/mentorship/sessions"
        element={
          <RequireSignIn>
            <MySessionsPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/mentorship/session/:sessionId"
        element={
          <RequireSignIn>
            <SessionPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/tutor/mentorship"
        element={
          <RequireSignIn role="tutor">
            <TutorDashboardPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/tutor/wallet"
        element={
          <RequireSignIn role="tutor">
            <WalletPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/tutor/profile"
        element={
          <RequireSignIn role="tutor">
            <ProfilePage />
          </RequireSignIn>
        }
      />
      <Route
        path="/become-a-tutor"
        element={
          <RequireSignIn>
            <BecomeTutorPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/notifications"
        element={
          <RequireSignIn>
            <NotificationsPage />
          </RequireSignIn>
        }
      />
      <Route
        path="/settings/notifications"
        element={
          <RequireSignIn>
            <EmailPreferencesPage />
          </RequireSignIn>
        }
      />
      <Route path="/email/unsubscribe" element={<UnsubscribePage />} />
      <Route
        path="/admin"
        element={
          <RequireSignIn role="admin">
            <AdminPage />
          </RequireSignIn>
        }
      />
      <Route path="*" element={<NotFound />} />
    </Route>
  </Routes>
);
