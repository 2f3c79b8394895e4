import * as z from './zod';

/** GET /sessions/{sessionId}/calendar.ics: an iCalendar (RFC 5545) file, sent as text/calendar. */
export const calendarResponse = z.string().check(z.describe('An iCalendar (RFC 5545) document with one VEVENT: the session'));

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';
