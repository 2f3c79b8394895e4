/**
 * SES's bounce and complaint events, from the configuration set's event destination (an SNS
 * topic this function is subscribed to): the addresses they name get no more email. A
 * message that is not an SES event is logged and dropped (SNS would only deliver it again);
 * a failure to record one throws, so Lambda retries the delivery and then sends it to the
 * function's dead-letter queue.
 */
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { sesEvent } from '../../shared/schemas/email';
import { handleSesEvent } from '../../shared/usecases/preferences';
import { observe } from '../../shared/observability/invocation';
import { logger } from '../../shared/observability/logger';

export const handler = middy(async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records) {
    let json: unknown;
    try {
      json = JSON.parse(record.Sns.Message);
    } catch {
      logger.error('An SNS message that is not JSON: dropped', { messageId: record.Sns.MessageId });
      continue;
    }
    const parsed = sesEvent.safeParse(json);
    if (!parsed.success) {
      logger.error('An SNS message that is not an SES event: dropped', { messageId: record.Sns.MessageId });
      continue;
    }
    await handleSesEvent(parsed.data);
  }
}).use(observe<SNSEvent>({ keysOf: (e) => ({ snsMessageId: e.Records[0]?.Sns.MessageId }) }));
