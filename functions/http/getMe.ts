import { httpHandler, ok } from '../../shared/http/handler';
import { me } from '../../shared/usecases/identity';

export const handler = httpHandler(async ({ caller }) => ok(await me(caller)));
