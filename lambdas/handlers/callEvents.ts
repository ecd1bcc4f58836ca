import { consumeCallEvent } from '../backoffice/consumeCallEvent.js';
import { requireSetting } from '../config.js';
import { systemClock } from '../domain/ports.js';
import { invocationReporter } from '../observability/invocation.js';
import { createQueueHandler } from '../queue/createQueueHandler.js';
import { createSqsClient } from '../queue/client.js';
import { createSqsSetAside } from '../queue/sqsSetAside.js';
import { config, table } from '../runtime.js';
import { createCallLifecycle } from '../store/calls/lifecycle.js';

const ports = {
  calls: createCallLifecycle(table),
  clock: systemClock,
  setAside: createSqsSetAside(
    createSqsClient({ region: config.region, endpoint: config.sqsEndpoint }),
    requireSetting(config.callEventsDeadLetterQueueUrl, 'CALL_EVENTS_DEAD_LETTER_QUEUE_URL'),
    () => systemClock.now(),
  ),
};

/** The call-events queue's consumer: each message recorded, or set aside with its reason. */
export const handler = createQueueHandler(
  invocationReporter('consumeCallEvent', config),
  async (record, { log, metrics }) => {
    const outcome = await consumeCallEvent({ ...ports, metrics }, { messageId: record.messageId, body: record.body });
    log[outcome.result === 'setAside' ? 'warn' : 'info'](`call event ${outcome.result}`, {
      messageId: record.messageId,
      eventId: outcome.eventId,
      callId: outcome.callId,
      ...(outcome.result === 'recorded' ? { status: outcome.status } : {}),
      ...(outcome.result === 'unchanged' ? { why: outcome.why } : {}),
      ...(outcome.result === 'setAside' ? { reason: outcome.reason } : {}),
    });
  },
);
