import { httpHandler, ok } from '../../shared/http/handler';
import { getTutorStats } from '../../shared/usecases/dashboards';
import { tutorStatsResponse } from '../../shared/schemas/dashboards';

export const handler = httpHandler(async ({ caller }) => ok(await getTutorStats(caller)), { route: 'getTutorStats', responses: { 200: tutorStatsResponse } });
