import type { WebhookMetrics } from '../../domain/webhookPorts.js';
import type { Logger } from '../../observability/log.js';
import { metricDimensions } from '../../observability/metricCatalog.js';

/**
 * Metrics as CloudWatch embedded metric format: log lines (at `info`) that CloudWatch Logs turns
 * into metrics in the stage's namespace, by operation like every other metric, with no API call
 * and no client in the bundle.
 */
export const webhookSenderOperation = 'deliverWebhook';

export const webhookMetricNames = {
  delivered: 'Delivered',
  deliveryLatency: 'EventToDeliveredLatency',
  attemptFailed: 'AttemptsFailed',
  deliveryFailed: 'DeliveriesFailed',
  endpointDisabled: 'EndpointsDisabled',
} as const;

/** Metrics written as `info` lines of `log`. */
export const createEmfWebhookMetrics = (log: Logger, namespace: string): WebhookMetrics => {
  const emit = (values: Record<string, number>, units: Record<string, string>, fields: Record<string, string> = {}) =>
    log.info('webhook metrics', {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [[metricDimensions.operation]],
            Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: units[name] ?? 'Count' })),
          },
        ],
      },
      [metricDimensions.operation]: webhookSenderOperation,
      ...fields,
      ...values,
    });

  return {
    delivered(latencyMs) {
      emit(
        { [webhookMetricNames.delivered]: 1, [webhookMetricNames.deliveryLatency]: latencyMs },
        { [webhookMetricNames.deliveryLatency]: 'Milliseconds' },
      );
    },
    attemptFailed(errorClass) {
      emit({ [webhookMetricNames.attemptFailed]: 1 }, {}, { errorClass });
    },
    deliveryFailed() {
      emit({ [webhookMetricNames.deliveryFailed]: 1 }, {});
    },
    endpointDisabled(reason) {
      emit({ [webhookMetricNames.endpointDisabled]: 1 }, {}, { reason });
    },
  };
};
