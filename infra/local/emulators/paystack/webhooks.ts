/** Signed webhooks with Paystack's retries: a non-200 answer is tried again after each delay of the list. */
import { signWebhook } from '../../../../shared/integrations/paystack';
import type { WebhookEvent } from './wire';

export interface WebhookAttempt {
  event: string;
  reference: string | undefined;
  attempt: number;
  /** The HTTP status, or the error message when there was no answer. */
  outcome: number | string;
  at: string;
}

export interface WebhookDelivery {
  delivered: boolean;
  attempts: number;
}

export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1000, 3000, 10_000, 30_000];

export interface WebhooksOptions {
  secretKey: string;
  /** Where webhooks go; without it none are sent. */
  webhookUrl?: string;
  retryDelaysMs: readonly number[];
  webhookTimeoutMs: number;
  log: (line: string) => void;
  /** Keeps a delivery in the emulator's work still to finish. */
  track: <T>(p: Promise<T>) => Promise<T>;
  stopped: () => boolean;
}

export const createWebhooks = (opts: WebhooksOptions) => {
  const { retryDelaysMs, webhookTimeoutMs, log, track, stopped } = opts;
  const webhookAttempts: WebhookAttempt[] = [];
  const inFlight = new Set<AbortController>();

  const referenceOf = (event: WebhookEvent): string | undefined => {
    const d = event.data as { reference?: unknown; transaction_reference?: unknown };
    const ref = d.reference ?? d.transaction_reference;
    return typeof ref === 'string' ? ref : undefined;
  };

  const attemptOnce = async (body: string, signature: string): Promise<number | string> => {
    if (!opts.webhookUrl) return 'no webhookUrl configured';
    const abort = new AbortController();
    inFlight.add(abort);
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${webhookTimeoutMs} ms`)), webhookTimeoutMs);
    try {
      const res = await fetch(opts.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-paystack-signature': signature, 'user-agent': 'Paystack-Emulator' },
        body,
        signal: abort.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch (e) {
      const reason: unknown = abort.signal.aborted ? abort.signal.reason : e;
      return (reason as Error)?.message ?? String(reason);
    } finally {
      clearTimeout(timer);
      inFlight.delete(abort);
    }
  };

  /** Waits between attempts; resolves false at once when the emulator stops (or has stopped). */
  const waits = new Set<{ timer: NodeJS.Timeout; resolve: (go: boolean) => void }>();
  const pause = (ms: number) =>
    new Promise<boolean>((resolve) => {
      // Stopped during the attempt (its request aborted): no retry to wait for.
      if (stopped()) return resolve(false);
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve(!stopped());
        }, ms),
        resolve,
      };
      waits.add(entry);
    });

  /** Never rejects: a delivery problem is recorded and logged, never a crash. */
  const deliverWebhook = (event: WebhookEvent): Promise<WebhookDelivery> => track(deliver(event));
  const deliver = async (event: WebhookEvent): Promise<WebhookDelivery> => {
    let attempts = 0;
    try {
      const body = JSON.stringify(event);
      const signature = signWebhook(body, opts.secretKey);
      const reference = referenceOf(event);
      for (;;) {
        if (stopped()) return { delivered: false, attempts };
        attempts++;
        const outcome = await attemptOnce(body, signature);
        webhookAttempts.push({ event: event.event, reference, attempt: attempts, outcome, at: new Date().toISOString() });
        log(`paystack webhook ${event.event}${reference ? ` ${reference}` : ''} attempt ${attempts} → ${outcome}`);
        if (outcome === 200) return { delivered: true, attempts };
        const delay = retryDelaysMs[attempts - 1];
        if (delay === undefined || !opts.webhookUrl || !(await pause(delay))) return { delivered: false, attempts };
      }
    } catch (e) {
      try {
        log(`paystack webhook ${event.event} not delivered: ${String(e)}`);
      } catch {
        /* a throwing logger must not crash the emulator either */
      }
      return { delivered: false, attempts };
    }
  };

  /** Ends every attempt and every wait between attempts (the emulator stops). */
  const stop = () => {
    for (const a of inFlight) a.abort(new Error('emulator stopped'));
    for (const w of waits) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
    waits.clear();
  };

  return { webhookAttempts, deliverWebhook, stop };
};
