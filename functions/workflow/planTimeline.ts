import { planTimeline } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

/**
 * PlanTimeline runs only after a timeline wait was interrupted (a reschedule; `$.next` holds
 * its error): the next wait counts from the clock. The steps that end a wait by its timeout
 * (RunTimelineStep) answer the next wait themselves.
 */
export const handler = workflowStep(stepInput, (input) => planTimeline(input.sessionId));
