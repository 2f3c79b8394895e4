import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { userId } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';
import { getTutor } from '../../shared/usecases/tutors';
import { tutorPageResponse } from '../../shared/schemas/tutor';

export const handler = httpHandler(async ({ path }) => ok(await getTutor(path.tutorId)), {
  route: routes.getTutor,
  path: z.strictObject({ tutorId: userId }),
  responses: { 200: tutorPageResponse },
});
