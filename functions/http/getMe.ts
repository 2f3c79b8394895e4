import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { meResponse } from '../../shared/schemas/identity';
import { getMe } from '../../shared/usecases/identity';

export const handler = httpHandler(async ({ caller }) => ok(await getMe(caller)), { route: routes.getMe, responses: { 200: meResponse } });
