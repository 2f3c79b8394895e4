/** The timeline plan as it travels in the execution's data (`$.next.value`), for the timeline steps' inputs. */
import * as z from 'zod';

export const timelineWaitInput = z.object({
  step: z.enum(['REMIND', 'START', 'COMPLETE', 'DONE']),
  wakeAt: z.string().optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  laterSeconds: z.number().int().nonnegative().optional(),
});
