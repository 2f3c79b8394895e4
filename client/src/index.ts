/**
 * The typed client for the mentorship booking API. Paths, parameters, bodies and answers are
 * typed from the OpenAPI document (./schema.d.ts, generated: `npm run openapi` at the project
 * root); calls go through openapi-fetch:
 *
 *   const api = createApiClient({ baseUrl: config.apiUrl, token: () => auth.idToken() });
 *   const { data, error, response } = await api.GET('/sessions/{sessionId}', { params: { path: { sessionId } } });
 *
 * `data` is the success body, `error` the error body (`ApiError`), as the status says.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths } from './schema';
export type { ClientFrame, ErrorFrame, NotificationEvent, NotificationFrame, PongFrame, PushedNotification, ServerFrame } from './notifications';

/** Every error answer's body: a stable `code`, a message for people, and which input was wrong. */
export type ApiError = components['schemas']['Error'];

/** The bearer token for a request (the ID token), or undefined to send none. */
export type TokenSource = () => Promise<string | undefined> | string | undefined;

export interface ApiClientOptions {
  /** The API's URL (the `apiUrl` of /config.json), without a trailing slash. */
  baseUrl: string;
  /** Read before every request, so a refreshed token is used as soon as there is one. */
  token?: TokenSource;
  /** Another fetch (tests, server-side rendering); the global one otherwise. */
  fetch?: (request: Request) => Promise<Response>;
}

export type ApiClient = Client<paths>;

/** Sets `Authorization: Bearer <token>` on each request that has a token to send. */
export const bearerAuth = (token: TokenSource): Middleware => ({
  async onRequest({ request }) {
    const value = await token();
    if (value) request.headers.set('Authorization', `Bearer ${value}`);
    return request;
  },
});

export const createApiClient = ({ baseUrl, token, fetch }: ApiClientOptions): ApiClient => {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  if (token) client.use(bearerAuth(token));
  return client;
};

/** The success body of an operation, by its operationId (the handler's name): `Body<'getSession'>`. */
export type Body<Op extends keyof operations, Status extends number = 200 | 201> = operations[Op]['responses'] extends infer R
  ? { [S in Status & keyof R]: R[S] extends { content: { 'application/json': infer B } } ? B : never }[Status & keyof R]
  : never;
