import { stepInput, workflowStep } from '../../shared/workflow/step';

/**
 * The meeting step. Until the Zoom integration lands it creates no meeting: it answers
 * with no join URL, and the confirm step goes ahead without one.
 */
export const handler = workflowStep(stepInput, async () => ({ joinUrl: null }));
