import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { getTutorStats } from '../../shared/usecases/wallet';
import { tutorStatsResponse } from '../../shared/schemas/dashboards';

export const handler = httpHandler(async ({ caller }) => ok(await getTutorStats(caller)), { route: routes.getTutorStats, responses: { 200: tutorStatsResponse } });
