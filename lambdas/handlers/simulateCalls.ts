import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { simulateCall } from '../backoffice/simulateCall.js';
import { requireSetting } from '../config.js';
import type { CallRecord } from '../domain/records.js';
import { invocationReporter, reportInvocation } from '../observability/invocation.js';
import { createSqsClient } from '../queue/client.js';
import { createSqsEventQueue } from '../queue/sqsEventQueue.js';
import { config } from '../runtime.js';

const queue = createSqsEventQueue(
  createSqsClient({ region: config.region, endpoint: config.sqsEndpoint }),
  requireSetting(config.callEventsQueueUrl, 'CALL_EVENTS_QUEUE_URL'),
);
const reporter = invocationReporter('simulateCall', config);
const settings = { callSeconds: config.simulatedCallSeconds, modes: config.simulatedModes };

/**
 * The simulator: new call items from the table's stream (in AWS filtered to test-mode redeems),
 * each played as the voice pipeline would report it. A failure fails the batch, which the stream
 * retries; the events' ids make a replay change nothing.
 */
export const handler = (event: DynamoDBStreamEvent, context: Context): Promise<void> =>
  reportInvocation(
    reporter,
    context,
    async ({ log }) => {
      for (const record of event.Records) {
        const image = record.dynamodb?.NewImage;
        if (record.eventName !== 'INSERT' || !image) continue;
        const call = unmarshall(image as Record<string, AttributeValue>) as CallRecord & { sk?: string };
        if (call.sk !== 'CALL') continue;
        if (await simulateCall({ queue, settings }, call)) {
          log.info('call simulated', { callId: call.callId, callSeconds: settings.callSeconds });
        }
      }
    },
    () => ({ records: event.Records.length }),
  );
