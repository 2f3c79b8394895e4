import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { CALENDAR_CONTENT_TYPE, calendarResponse } from '../../shared/schemas/calendar';
import { sessionPath } from '../../shared/schemas/session';
import { getSessionCalendar } from '../../shared/usecases/calendar';

/** The booked session as a calendar file, for its participants. */
export const handler = httpHandler(async ({ caller, path }) => ok(await getSessionCalendar(caller, path.sessionId)), {
  route: routes.getSessionCalendar,
  path: sessionPath,
  responses: { 200: calendarResponse },
  responseContentType: CALENDAR_CONTENT_TYPE,
});
