import { httpHandler, ok } from '../../shared/http/handler';
import { tutorProfileInput } from '../../shared/schemas/tutor';
import { saveMyTutorProfile } from '../../shared/usecases/tutors';

export const handler = httpHandler(async ({ caller, body }) => ok(await saveMyTutorProfile(caller, body)), {
  roles: ['tutor'],
  body: tutorProfileInput,
});
