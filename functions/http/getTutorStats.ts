import { httpHandler, ok } from '../../shared/http/handler';
import { tutorStats } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ caller }) => ok(await tutorStats(caller)), { roles: ['tutor'] });
