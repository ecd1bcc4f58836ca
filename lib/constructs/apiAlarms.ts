import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { webhookMetricNames, webhookSenderOperation } from '../../lambdas/backoffice/webhooks/emfMetrics.js';
import { routes, type Route } from '../../lambdas/http/routes.js';
import { metricDimensions, metricNames } from '../../lambdas/observability/metricCatalog.js';

export interface ApiAlarmsProps {
  readonly api: RestApi;
  readonly routes: readonly Route[];
  /** The handler of each route, by operationId. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly table: Table;
  /** Where the handlers' business metrics are. */
  readonly metricsNamespace: string;
  /**
   * Who is told when an alarm fires: an encrypted SNS topic is made with this address subscribed.
   * @default - no topic; the alarms show in CloudWatch only
   */
  readonly alarmEmail?: string;
  /**
   * p99 latency, per route, above which the route alarms.
   * @default 1,500 ms
   */
  readonly p99LatencyMs?: number;
}

const period = Duration.minutes(5);

/** The DynamoDB operations the store performs: the only ones worth watching. */
export const tableOperations = [
  Operation.BATCH_GET_ITEM,
  Operation.GET_ITEM,
  Operation.QUERY,
  Operation.UPDATE_ITEM,
  Operation.PUT_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/**
 * What someone on call needs to know: the API failing (5XX rate), a route slowing down (p99),
 * Lambdas erroring or throttled, DynamoDB failing or throttling; and what resellers and their reps
 * feel first: sessions refused because a tenant ran out of quota, redeems failing as a rep starts a
 * call, and webhook deliveries failing for good. Two of three five-minute periods must breach, so
 * a single blip does not page anyone. Each has a runbook line in docs/observability.md.
 */
export class ApiAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  readonly topic?: Topic;

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    const stage = props.api.deploymentStage;

    this.alarm('ServerErrorRate', {
      metric: new MathExpression({
        // Under 20 requests in 5 minutes a single failure is not a rate.
        expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: stage.metricServerError({ period, statistic: 'Sum' }),
          requests: stage.metricCount({ period, statistic: 'Sum' }),
        },
        period,
        label: '5XX responses, % of requests',
      }),
      threshold: 1,
      description: 'More than 1% of requests answered 5XX (our 500/503 or the gateway’s own).',
    });

    for (const route of props.routes) {
      this.alarm(`${route.operationId}P99Latency`, {
        metric: new Metric({
          namespace: 'AWS/ApiGateway',
          metricName: 'Latency',
          dimensionsMap: {
            ApiName: props.api.restApiName,
            Stage: stage.stageName,
            Resource: route.path,
            Method: route.method,
          },
          statistic: 'p99',
          period,
        }),
        threshold: props.p99LatencyMs ?? 1_500,
        description: `p99 latency of ${route.method} ${route.path} above ${props.p99LatencyMs ?? 1_500} ms.`,
      });
      const handler = props.functions.get(route.operationId);
      if (!handler) continue;
      this.alarm(`${route.operationId}LambdaErrors`, {
        metric: handler.metricErrors({ period, statistic: 'Sum' }),
        threshold: 1,
        description: `${route.operationId}: the Lambda failed outside its own error handling (crash, timeout, bad config).`,
      });
      this.alarm(`${route.operationId}LambdaThrottles`, {
        metric: handler.metricThrottles({ period, statistic: 'Sum' }),
        threshold: 1,
        description: `${route.operationId}: invocations throttled (account or reserved concurrency).`,
      });
    }

    this.alarm('TableSystemErrors', {
      metric: props.table.metricSystemErrorsForOperations({ operations: tableOperations, period }),
      threshold: 1,
      description: 'DynamoDB answered with server errors.',
    });
    this.alarm('TableThrottledRequests', {
      metric: sumOf(
        tableOperations.map((operation) =>
          props.table.metricThrottledRequestsForOperation(operation, { period, statistic: 'Sum' }),
        ),
      ),
      threshold: 1,
      description: 'DynamoDB throttled requests (callers received 503 SERVICE_UNAVAILABLE).',
    });

    this.alarm('MintsRefusedForQuota', {
      metric: new Metric({
        namespace: props.metricsNamespace,
        metricName: metricNames.requestsRefused,
        dimensionsMap: {
          [metricDimensions.operation]: routes.mintSession.operationId,
          [metricDimensions.code]: 'TENANT_QUOTA_EXCEEDED',
        },
        statistic: 'Sum',
        period,
      }),
      threshold: 5,
      description: 'Sessions refused with TENANT_QUOTA_EXCEEDED: a reseller’s reps cannot start roleplays.',
    });
    this.alarm('RedeemServerErrors', {
      metric: new Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '5XXError',
        dimensionsMap: {
          ApiName: props.api.restApiName,
          Stage: stage.stageName,
          Resource: routes.redeemSession.path,
          Method: routes.redeemSession.method,
        },
        statistic: 'Sum',
        period,
      }),
      threshold: 3,
      description: 'Redeems answered 5XX: reps are failing to start calls, whatever the overall error rate.',
    });
    this.alarm('WebhookDeliveriesFailed', {
      metric: new Metric({
        namespace: props.metricsNamespace,
        metricName: webhookMetricNames.deliveryFailed,
        dimensionsMap: { [metricDimensions.operation]: webhookSenderOperation },
        statistic: 'Sum',
        period,
      }),
      threshold: 1,
      description:
        'Webhook deliveries failed for good (retries spent, or the endpoint disabled): resellers missed events.',
    });

    if (props.alarmEmail) {
      // CloudWatch can publish to an encrypted topic only with a customer key that lets it.
      const key = new Key(this, 'TopicKey', {
        enableKeyRotation: true,
        description: 'Encrypts the Athos External API alarm topic',
      });
      key.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
      this.topic = new Topic(this, 'Topic', {
        masterKey: key,
        enforceSSL: true,
        displayName: 'Athos External API alarms',
      });
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      for (const alarm of this.alarms) this.notify(alarm);
    }
  }

  /** Sends an alarm made elsewhere to the same topic, when there is one. */
  notify(alarm: Alarm): void {
    if (!this.topic) return;
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }

  private alarm(id: string, options: { metric: IMetric; threshold: number; description: string }) {
    this.alarms.push(
      new Alarm(this, id, {
        metric: options.metric,
        threshold: options.threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: options.description,
      }),
    );
  }
}

const sumOf = (metrics: IMetric[]): IMetric =>
  new MathExpression({
    expression: metrics.map((_, i) => `m${i}`).join(' + '),
    usingMetrics: Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric])),
    period,
  });
