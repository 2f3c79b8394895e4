/** The timeline plan as it travels in the execution's data (`$.next.value`), for the timeline steps' inputs. */
import { integer } from '../schemas/common';
import * as z from '../schemas/zod';

export const timelineWaitInput = z.object({
  step: z.enum(['REMIND_DAY', 'REMIND', 'START', 'COMPLETE', 'DONE']),
  wakeAt: z.optional(z.string()),
  timeoutSeconds: z.optional(integer(z.positive())),
  laterSeconds: z.optional(integer(z.nonnegative())),
});
