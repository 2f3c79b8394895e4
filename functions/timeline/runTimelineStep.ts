import { sessionId } from '../../shared/schemas/session-id';
import * as z from '../../shared/schemas/zod';
import { TIMELINE_STEPS } from '../../shared/domain/timeline';
import { runTimelineStep } from '../../shared/usecases/timeline-step';
import { workflowStep } from '../../shared/workflow/step';

/**
 * The target of the timeline's schedules (shared/usecases/timeline.ts): EventBridge Scheduler
 * invokes it with the schedule's input as the event. A step no longer due is skipped; a
 * failure is thrown, so that Scheduler retries it (then its dead-letter queue).
 */
const input = z.object({ sessionId, step: z.enum(TIMELINE_STEPS), at: z.iso.datetime() });

export const handler = workflowStep(input, (event) => runTimelineStep(event));
