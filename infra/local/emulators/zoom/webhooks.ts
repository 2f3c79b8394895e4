/** The webhooks Zoom sends, signed as Zoom signs them (x-zm-signature, x-zm-request-timestamp): recording.completed and endpoint.url_validation. */
import { createHmac } from 'node:crypto';
import { signZoomWebhook } from '../../../../shared/integrations/zoom-webhook';
import { token } from './http';
import type { EmulatedMeeting, EmulatedRecordingFile } from './model';

export interface WebhookDelivery {
  delivered: boolean;
  /** The HTTP status of the answer, or why there was none. */
  status: number | string;
  /** The answer's body (JSON when it was JSON). */
  response?: unknown;
}

export type WebhookDeliveryRecord = { event: string; meetingId: string; at: string } & WebhookDelivery;

export interface WebhooksOptions {
  accountId: string;
  /** Where webhooks go; without it (or the secret token) none are sent. */
  webhookUrl?: string;
  webhookSecretToken?: string;
  webhookTimeoutMs?: number;
  now: () => number;
  log: (line: string) => void;
  findMeeting: (meetingId: string) => EmulatedMeeting;
  addRecording: (meetingId: string) => EmulatedRecordingFile[];
  recordingsData: (m: EmulatedMeeting) => unknown;
}

export const createWebhooks = (opts: WebhooksOptions) => {
  const { now, log, findMeeting, addRecording, recordingsData } = opts;
  const webhookDeliveries: WebhookDeliveryRecord[] = [];
  /** The recording.completed body sent per meeting: a second delivery resends it. */
  const recordingEvents = new Map<string, string>();

  const postWebhook = async (body: string): Promise<WebhookDelivery> => {
    if (!opts.webhookUrl || !opts.webhookSecretToken) return { delivered: false, status: 'no webhookUrl or webhookSecretToken configured' };
    const timestamp = String(Math.floor(now() / 1000));
    try {
      const res = await fetch(opts.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Zoom Marketplace/1.0a',
          'x-zm-request-timestamp': timestamp,
          'x-zm-signature': signZoomWebhook(timestamp, body, opts.webhookSecretToken),
        },
        body,
        signal: AbortSignal.timeout(opts.webhookTimeoutMs ?? 10_000),
      });
      const text = await res.text();
      let response: unknown = text;
      try {
        response = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { delivered: res.status === 200, status: res.status, response };
    } catch (e) {
      return { delivered: false, status: (e as Error)?.message ?? String(e) };
    }
  };

  const recordingCompletedBody = (meetingId: string): string => {
    let body = recordingEvents.get(meetingId);
    if (!body) {
      const m = findMeeting(meetingId);
      if (m.recordings.length === 0) addRecording(meetingId);
      // Zoom's event: the same object GET /meetings/{id}/recordings answers, and a download token.
      body = JSON.stringify({ event: 'recording.completed', event_ts: now(), payload: { account_id: opts.accountId, object: recordingsData(m) }, download_token: token(48) });
      recordingEvents.set(meetingId, body);
    }
    return body;
  };

  const validateEndpoint = async (): Promise<WebhookDelivery & { validated: boolean }> => {
    const plainToken = token(16);
    const delivery = await postWebhook(JSON.stringify({ payload: { plainToken }, event_ts: now(), event: 'endpoint.url_validation' }));
    const answer = delivery.response as { plainToken?: unknown; encryptedToken?: unknown } | undefined;
    const expected = opts.webhookSecretToken ? createHmac('sha256', opts.webhookSecretToken).update(plainToken).digest('hex') : undefined;
    const validated = delivery.status === 200 && answer?.plainToken === plainToken && expected !== undefined && answer?.encryptedToken === expected;
    log(`zoom webhook endpoint.url_validation → ${delivery.status}${validated ? ' validated' : ' NOT validated'}`);
    return { ...delivery, validated };
  };

  const deliverRecordingCompleted = async (meetingId: string): Promise<WebhookDelivery> => {
    const delivery = await postWebhook(recordingCompletedBody(meetingId));
    webhookDeliveries.push({ event: 'recording.completed', meetingId, at: new Date().toISOString(), ...delivery });
    log(`zoom webhook recording.completed ${meetingId} → ${delivery.status}`);
    return delivery;
  };

  return { webhookDeliveries, recordingCompletedBody, validateEndpoint, deliverRecordingCompleted };
};
