import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { pageQuery } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';
import { listTutors } from '../../shared/usecases/tutors';
import { tutorListResponse } from '../../shared/schemas/tutor';

export const handler = httpHandler(async ({ query }) => ok(await listTutors(query)), {
  route: routes.listTutors,
  query: z.strictObject(pageQuery),
  responses: { 200: tutorListResponse },
});
