import { createApiClient, type ApiError, type Body } from './index';

const answering = (status: number, body: unknown, seen: Request[]) => async (request: Request) => {
  seen.push(request);
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
};

describe('createApiClient', () => {
  it('sends the token as a bearer token, fills in the path and types the answer', async () => {
    const seen: Request[] = [];
    const api = createApiClient({
      baseUrl: 'https://api.example.com',
      token: async () => 'id-token',
      fetch: answering(200, { items: [], nextCursor: null, unreadCount: 0 }, seen),
    });
    const { data } = await api.GET('/me/notifications', { params: { query: { limit: 5 } } });
    const typed: Body<'listMyNotifications'> | undefined = data;
    expect(typed).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    expect(seen[0]!.url).toBe('https://api.example.com/me/notifications?limit=5');
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer id-token');
  });

  it('sends no Authorization header without a token, and gives the error body typed', async () => {
    const seen: Request[] = [];
    const api = createApiClient({
      baseUrl: 'https://api.example.com',
      token: () => undefined,
      fetch: answering(404, { error: { code: 'NOT_FOUND', message: 'No such session' } }, seen),
    });
    const { data, error } = await api.GET('/sessions/{sessionId}', { params: { path: { sessionId: '01JD0000000000000000000000' } } });
    const typed: ApiError | undefined = error;
    expect(data).toBeUndefined();
    expect(typed?.error.code).toBe('NOT_FOUND');
    expect(seen[0]!.url).toBe('https://api.example.com/sessions/01JD0000000000000000000000');
    expect(seen[0]!.headers.has('authorization')).toBe(false);
  });
});
