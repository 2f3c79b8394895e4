import { httpHandler, ok } from '../../shared/http/handler';

export const handler = httpHandler(async () => ok({ status: 'ok' }), { auth: false });
