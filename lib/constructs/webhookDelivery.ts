import { resolve } from 'node:path';
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { webhookMetricNames, webhookSenderOperation } from '../../lambdas/backoffice/webhooks/emfMetrics.js';
import { metricDimensions } from '../../lambdas/observability/metricCatalog.js';
import type { TableAccess } from '../../lambdas/http/routes.js';
import { outboxStreamFilter } from '../../lambdas/store/webhooks/outbox.js';
import { webhookSecretPurpose } from '../../lambdas/tokens/kmsSecretSealer.js';
import { ApiFunction } from './apiFunction.js';
import { tableStatement } from './apiHandlers.js';

export interface WebhookDeliveryProps {
  /** The table, with its stream (NEW_IMAGE): new outbox items start every delivery. */
  readonly table: ITable;
  readonly logRetention: RetentionDays;
  readonly projectRoot: string;
  /** The stage's metrics namespace, where the sender writes its metrics. */
  readonly metricsNamespace: string;
}

/** A sender invocation: ten deliveries side by side, each at most 10 s, and its table writes. */
const senderTimeout = Duration.seconds(30);
/** Eight attempts, and room for a sender that crashed or timed out a few times. */
const maxReceiveCount = 20;

/**
 * Outbound webhooks on AWS's machinery, with no polling loop of ours: the table's stream hands
 * each new outbox item to the fan-out function, which writes one delivery per subscribed endpoint
 * and queues it; the sender function posts each, and holds a failed one back on the queue (SQS
 * visibility) until its next attempt. What fails for good lands on a dead-letter queue, and alarms.
 * Signing secrets are sealed by a KMS key only the sender may decrypt with.
 */
export class WebhookDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Stream batches the fan-out gave up on (their records' keys, to read again). */
  readonly fanOutFailures: Queue;
  readonly secretsKey: Key;
  readonly fanOut: ApiFunction;
  readonly sender: ApiFunction;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    const queueDefaults = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

    this.secretsKey = new Key(this, 'SecretsKey', {
      enableKeyRotation: true,
      description: 'Athos External API: seals webhook signing secrets (operators encrypt, the sender decrypts)',
    });
    this.deadLetterQueue = new Queue(this, 'DeadLetters', { ...queueDefaults, retentionPeriod: Duration.days(14) });
    this.queue = new Queue(this, 'Deliveries', {
      ...queueDefaults,
      // SQS wants at least the consumer's timeout; six times it, so a slow batch is not seen twice.
      visibilityTimeout: Duration.seconds(senderTimeout.toSeconds() * 6),
      // The schedule spans about 28 hours; a message outlives it with room to spare.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    this.fanOutFailures = new Queue(this, 'FanOutFailures', { ...queueDefaults, retentionPeriod: Duration.days(14) });
    Validations.of(this.fanOutFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "It is the fan-out's on-failure destination: a dead-letter queue for the stream, fed by Lambda.",
    });

    const environment = (extra: Record<string, string>) => ({ TABLE_NAME: props.table.tableName, ...extra });
    this.fanOut = new ApiFunction(this, 'FanOut', {
      entry: resolve(props.projectRoot, 'lambdas/handlers/webhookFanOut.ts'),
      environment: environment({ WEBHOOK_DELIVERY_QUEUE_URL: this.queue.queueUrl }),
      logRetention: props.logRetention,
      readsSecrets: false,
    });
    this.sender = new ApiFunction(this, 'Sender', {
      entry: resolve(props.projectRoot, 'lambdas/handlers/webhookSender.ts'),
      environment: environment({
        WEBHOOK_DELIVERY_QUEUE_URL: this.queue.queueUrl,
        WEBHOOK_KMS_KEY_ID: this.secretsKey.keyArn,
      }),
      logRetention: props.logRetention,
      timeout: senderTimeout,
      readsSecrets: false,
    });

    this.fanOut.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 20,
        onFailure: new SqsDlq(this.fanOutFailures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual(outboxStreamFilter.eventName),
            dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(outboxStreamFilter.keyPrefix) } } },
          }),
        ],
      }),
    );
    Validations.of(this.fanOut.role as Construct).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams, which the stream event source needs, is an account-level action with no resource.',
    });
    this.sender.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 20 }),
    );

    const grantTable = (fn: ApiFunction, accesses: readonly TableAccess[]) => {
      for (const access of accesses) fn.addToRolePolicy(tableStatement(props.table, access));
    };
    grantTable(this.fanOut, ['webhookEndpointRead', 'webhookDeliveryCreate']);
    this.queue.grantSendMessages(this.fanOut);
    grantTable(this.sender, ['webhookSendRead', 'webhookSendWrite', 'webhookAuditWrite']);
    // The event source grants receiving, deleting and holding messages back (ChangeMessageVisibility).
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.secretsKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': webhookSecretPurpose } },
      }),
    );

    this.alarm('DeadLetters', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      description: 'Webhook deliveries the sender kept failing on (crashes, not receivers’ errors): replay them.',
    });
    this.alarm('FanOutFailures', {
      metric: this.fanOutFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      description: 'The fan-out gave up on stream records: events that made no deliveries.',
    });
    this.alarm('FanOutIteratorAge', {
      metric: this.fanOut.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: 60_000,
      description: 'The fan-out lags the table stream by over a minute: webhooks are late.',
    });
    for (const [name, fn] of [
      ['FanOut', this.fanOut],
      ['Sender', this.sender],
    ] as const) {
      this.alarm(`${name}Errors`, {
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        description: `The webhook ${name.toLowerCase()} function failed outside its own error handling.`,
      });
    }
    this.alarm('EndpointsDisabled', {
      metric: new Metric({
        namespace: props.metricsNamespace,
        metricName: webhookMetricNames.endpointDisabled,
        dimensionsMap: { [metricDimensions.operation]: webhookSenderOperation },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      description: 'The sender disabled a webhook endpoint (410 Gone, or five days of failures): see `webhook list`.',
    });

    new CfnOutput(scope, 'WebhookSecretsKeyArn', {
      value: this.secretsKey.keyArn,
      description: 'Seals webhook signing secrets (athos-admin webhook add --kms-key)',
    });
    new CfnOutput(scope, 'WebhookDeadLetterQueueUrl', {
      value: this.deadLetterQueue.queueUrl,
      description: 'Webhook deliveries the sender could not handle',
    });
  }

  /** Any one breach alarms: each of these means deliveries are late or stuck. */
  private alarm(id: string, options: { metric: IMetric; threshold?: number; description: string }) {
    this.alarms.push(
      new Alarm(this, `${id}Alarm`, {
        metric: options.metric,
        threshold: options.threshold ?? 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: options.description,
      }),
    );
  }
}
