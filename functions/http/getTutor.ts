import * as z from 'zod';
import { httpHandler, ok } from '../../shared/http/handler';
import { userId } from '../../shared/schemas/common';
import { tutorProfile } from '../../shared/usecases/tutors';

export const handler = httpHandler(async ({ path }) => ok(await tutorProfile(path.tutorId)), {
  path: z.object({ tutorId: userId }).strict(),
});
