/**
 * Read-decide-write, again if the session changed under us. Apart from reading sessions on
 * someone's behalf (./session-access.ts), so that the workflow's steps and consumers, which
 * read for no one, do not bundle the readers of a session with its meeting or its terms.
 */
import { StaleSessionError } from '../data/sessions';

/**
 * Tries `attempt` again if the item changed under us in a way that still allows the decision
 * (e.g. the workflow stored its task token meanwhile). A changed status makes the decision
 * itself fail with 409 on the next round.
 */
export const retryOnStale = async <T>(attempt: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof StaleSessionError) || i >= attempts) throw e;
      // Full jitter: writers that lost the same race spread out instead of meeting again.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** Math.min(i, 6)));
    }
  }
};
