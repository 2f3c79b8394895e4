import { readHealthItem } from '../data/health';

/** Readiness: does the table answer? Throws what the read threw when it does not (functions/http/health.ts answers 503). */
export const health = (): Promise<void> => readHealthItem();
