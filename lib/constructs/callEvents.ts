import { resolve } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  AccountPrincipal,
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  PolicyStatement,
  type IPrincipal,
  type Role,
} from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { maxEventBytes } from '../../lambdas/domain/callEvents.js';
import type { TableAccess } from '../../lambdas/http/routes.js';
import { ApiFunction } from './apiFunction.js';
import { tableStatement } from './apiHandlers.js';

export interface CallEventsProps {
  /** The table, with its stream (new images). */
  readonly table: ITable;
  /** Who may send events: account ids and IAM role ARNs (`athos:callEventProducers`). */
  readonly producers: readonly string[];
  /** How long a simulated test-mode call lasts. */
  readonly simulatedCallSeconds: number;
  readonly logRetention: RetentionDays;
  readonly projectRoot: string;
}

/** Deliveries before SQS gives up on a message and moves it to the dead-letter queue. */
export const maxReceiveCount = 5;
const consumerTimeout = Duration.seconds(30);
const consumerTableAccess: readonly TableAccess[] = ['callEventRead', 'callEventUpdate', 'transcriptWrite'];

/**
 * The voice pipeline's way in: an encrypted queue that only the named producers (and the simulator)
 * may send to, its consumer, a dead-letter queue that keeps what could not be recorded for 14 days
 * with an alarm on anything reaching it, and the simulator that plays test-mode calls.
 */
export class CallEvents extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumer: ApiFunction;
  readonly simulator: ApiFunction;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: CallEventsProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      maxMessageSizeBytes: maxEventBytes,
    });
    this.queue = new Queue(this, 'Queue', {
      // SQS-managed keys: producers in other accounts can send without a grant on a KMS key of ours.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      maxMessageSizeBytes: maxEventBytes,
      // Six times the consumer's timeout, as AWS advises, so a batch in hand is never delivered twice.
      visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.consumer = new ApiFunction(this, 'Consumer', {
      entry: resolve(props.projectRoot, 'lambdas/handlers/callEvents.ts'),
      environment: {
        TABLE_NAME: props.table.tableName,
        CALL_EVENTS_DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
      },
      logRetention: props.logRetention,
      timeout: consumerTimeout,
      readsSecrets: false,
    });
    for (const access of consumerTableAccess) this.consumer.addToRolePolicy(tableStatement(props.table, access));
    this.deadLetterQueue.grantSendMessages(this.consumer);
    this.consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        // Bounds the table's write rate (and the account's Lambda concurrency) under a burst.
        maxConcurrency: 5,
        reportBatchItemFailures: true,
      }),
    );

    this.simulator = new ApiFunction(this, 'Simulator', {
      entry: resolve(props.projectRoot, 'lambdas/handlers/simulateCalls.ts'),
      environment: {
        CALL_EVENTS_QUEUE_URL: this.queue.queueUrl,
        SIMULATED_CALL_SECONDS: String(props.simulatedCallSeconds),
        SIMULATED_MODES: 'test',
      },
      logRetention: props.logRetention,
      readsSecrets: false,
    });
    this.queue.grantSendMessages(this.simulator);
    this.simulator.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        retryAttempts: 5,
        bisectBatchOnError: true,
        // Only a new test-mode call item invokes it: live redeems, and every other write, never do.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { sk: { S: FilterRule.isEqual('CALL') }, mode: { S: FilterRule.isEqual('test') } } },
          }),
        ],
      }),
    );

    // Lambda lists the table's streams to find the current one; that action takes no narrower resource.
    Validations.of(this.simulator.role as Role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams, which the stream event source needs, applies to no narrower resource',
    });

    this.allowOnlyProducers(props.producers);

    this.deadLetterAlarm = new Alarm(this, 'DeadLettersAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Call events are on the dead-letter queue: set aside (invalid, unknown call) or not recorded after 5 deliveries. `athos-admin events dead-letters` says why.',
    });
  }

  /**
   * The queue policy: the named producers may send, and every other principal is denied, even
   * one of this account whose own IAM policy would allow it; the simulator is the one exception.
   */
  private allowOnlyProducers(producers: readonly string[]) {
    const accounts = producers.filter((producer) => /^\d{12}$/.test(producer));
    const roles = producers.filter((producer) => producer.startsWith('arn:'));
    const principals: IPrincipal[] = [
      ...accounts.map((account) => new AccountPrincipal(account)),
      ...roles.map((role) => new ArnPrincipal(role)),
    ];
    if (principals.length > 0) {
      this.queue.addToResourcePolicy(
        new PolicyStatement({
          sid: 'NamedProducersMaySend',
          principals,
          actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          resources: [this.queue.queueArn],
        }),
      );
    }
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NobodyElseMaySend',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': [...roles, this.simulator.role?.roleArn] },
          ...(accounts.length > 0 ? { StringNotEquals: { 'aws:PrincipalAccount': accounts } } : {}),
        },
      }),
    );
  }
}
