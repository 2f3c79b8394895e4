import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { tutorProfileInput, tutorProfileResponse } from '../../shared/schemas/tutor';
import { putMyTutorProfile } from '../../shared/usecases/tutors';

export const handler = httpHandler(async ({ caller, body }) => ok(await putMyTutorProfile(caller, body)), {
  route: routes.putMyTutorProfile,
  body: tutorProfileInput,
  responses: { 200: tutorProfileResponse },
});
