import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app/App';
import { AppProvider } from './app/context';
import { createApi } from './lib/api';
import { AuthProvider, createUserManager, currentIdToken, renewSignIn } from './lib/auth';
import { loadConfig } from './lib/config';
import { ApiError } from './lib/errors';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

const start = async () => {
  const config = await loadConfig();
  const manager = createUserManager(config);
  const api = createApi({ baseUrl: config.apiUrl, token: () => currentIdToken(manager), onUnauthorized: () => renewSignIn(manager) });
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // A 4xx will not change by asking again; a network blip or a 5xx may.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
  root.render(
    <StrictMode>
      <AuthProvider manager={manager}>
        <AppProvider value={{ api, config }}>
          <QueryClientProvider client={queryClient}>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </QueryClientProvider>
        </AppProvider>
      </AuthProvider>
    </StrictMode>,
  );
};

start().catch((e: unknown) => {
  root.render(
    <main className="page">
      <h1>Mentorship</h1>
      <div role="alert" className="error">
        <p>The app could not start: {e instanceof Error ? e.message : String(e)}</p>
      </div>
    </main>,
  );
});
