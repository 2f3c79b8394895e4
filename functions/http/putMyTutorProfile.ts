import { httpHandler, ok } from '../../shared/http/handler';
import { tutorProfileInput, tutorProfileResponse } from '../../shared/schemas/tutor';
import { saveMyTutorProfile } from '../../shared/usecases/tutors';

export const handler = httpHandler(async ({ caller, body }) => ok(await saveMyTutorProfile(caller, body)), {
  roles: ['tutor'],
  body: tutorProfileInput,
  responses: { 200: tutorProfileResponse },
});
