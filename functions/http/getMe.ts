import { httpHandler, ok } from '../../shared/http/handler';
import { meResponse } from '../../shared/schemas/identity';
import { me } from '../../shared/usecases/identity';

export const handler = httpHandler(async ({ caller }) => ok(await me(caller)), { route: 'getMe', responses: { 200: meResponse } });
