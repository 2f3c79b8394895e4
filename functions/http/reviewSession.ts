import { created, httpHandler } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { integer, text } from '../../shared/schemas/common';
import { reviewSessionResponse, sessionPath } from '../../shared/schemas/session';
import * as z from '../../shared/schemas/zod';
import { reviewSession } from '../../shared/usecases/reviews';

const reviewBody = z.strictObject({ rating: integer(z.minimum(1), z.maximum(5)), comment: z.nullish(text(z.maxLength(2000))) });

export const handler = httpHandler(async ({ caller, path, body }) => created(await reviewSession(caller, path.sessionId, body)), {
  route: routes.reviewSession,
  path: sessionPath,
  body: reviewBody,
  responses: { 201: reviewSessionResponse },
});
