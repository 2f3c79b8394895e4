import * as z from 'zod';
import { created, httpHandler } from '../../shared/http/handler';
import { sessionPath } from '../../shared/schemas/session';
import { reviewSession } from '../../shared/usecases/reviews';

const reviewBody = z
  .object({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).nullish() })
  .strict();

export const handler = httpHandler(async ({ caller, path, body }) => created(await reviewSession(caller, path.sessionId, body)), {
  roles: ['student'],
  path: sessionPath,
  body: reviewBody,
});
