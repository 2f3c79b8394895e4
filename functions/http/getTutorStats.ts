import { httpHandler, ok } from '../../shared/http/handler';
import { tutorStats } from '../../shared/usecases/dashboards';
import { tutorStatsResponse } from '../../shared/schemas/dashboards';

export const handler = httpHandler(async ({ caller }) => ok(await tutorStats(caller)), { route: 'getTutorStats', responses: { 200: tutorStatsResponse } });
