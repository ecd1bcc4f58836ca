import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableOperations } from './apiAlarms.js';
import { webhookMetricNames, webhookSenderOperation } from '../../lambdas/backoffice/webhooks/emfMetrics.js';
import { routes as routeTable, type Route } from '../../lambdas/http/routes.js';
import { metricDimensions, metricNames, type MetricName } from '../../lambdas/observability/metricCatalog.js';

export interface ApiDashboardProps {
  readonly api: RestApi;
  readonly routes: readonly Route[];
  /** The handler of each route, by operationId. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly table: ITable;
  /** Where the handlers' business metrics are. */
  readonly metricsNamespace: string;
}

const period = Duration.minutes(5);
const width = 24;

/**
 * The one screen to open first: the golden signals of every route (requests, 4XX and 5XX, p50 and
 * p99 latency, throttles), the business metrics the handlers write as EMF, the table, and the
 * queues' depth. Per-tenant figures are not here (no metric is per tenant): the saved Logs
 * Insights queries answer those.
 */
export class ApiDashboard extends Construct {
  readonly dashboard: Dashboard;
  private readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: ApiDashboardProps) {
    super(scope, id);
    this.metricsNamespace = props.metricsNamespace;
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const stage = props.api.deploymentStage;

    this.heading('Routes', 'Requests and errors as API Gateway counts them; p50 and p99 latency; throttles.');
    for (const route of props.routes) {
      const gateway = (metricName: string, statistic: string, label: string) =>
        new Metric({
          namespace: 'AWS/ApiGateway',
          metricName,
          dimensionsMap: {
            ApiName: props.api.restApiName,
            Stage: stage.stageName,
            Resource: route.path,
            Method: route.method,
          },
          statistic,
          period,
          label,
        });
      const handler = props.functions.get(route.operationId);
      const title = `${route.method} ${route.path}`;
      this.dashboard.addWidgets(
        graph(`${title}: requests`, [
          gateway('Count', 'Sum', 'requests'),
          gateway('4XXError', 'Sum', '4XX'),
          gateway('5XXError', 'Sum', '5XX'),
        ]),
        graph(`${title}: latency (ms)`, [gateway('Latency', 'p50', 'p50'), gateway('Latency', 'p99', 'p99')]),
        graph(
          `${title}: throttles`,
          handler
            ? [
                handler.metricThrottles({ period, statistic: 'Sum', label: 'Lambda throttles' }),
                handler.metricErrors({ period, statistic: 'Sum', label: 'Lambda errors' }),
              ]
            : [],
        ),
      );
    }

    this.heading(
      'Business',
      'Written by the handlers as EMF (namespace `' + props.metricsNamespace + '`), by operation; never by tenant.',
    );
    this.dashboard.addWidgets(
      graph('Sessions', [
        this.business(metricNames.sessionsMinted, routeTable.mintSession.operationId, 'minted'),
        this.business(metricNames.sessionsRedeemed, routeTable.redeemSession.operationId, 'redeemed'),
      ]),
      graph('Requests refused, by code', [this.search(metricNames.requestsRefused, [metricDimensions.code])]),
      graph('Calls scored, events set aside', [
        this.search(metricNames.callsScored),
        this.search(metricNames.eventsSetAside),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Webhook deliveries', [
        this.webhookMetric(webhookMetricNames.delivered, 'delivered'),
        this.webhookMetric(webhookMetricNames.attemptFailed, 'attempts failed'),
        this.webhookMetric(webhookMetricNames.deliveryFailed, 'failed for good'),
      ]),
      graph('List pages', [
        this.business(metricNames.listRowsReturned, routeTable.listCalls.operationId, 'rows returned'),
        this.business(metricNames.cursorsRejected, routeTable.listCalls.operationId, 'cursors rejected'),
      ]),
      graph('DynamoDB throttled requests', [
        props.table.metricThrottledRequestsForOperations({ operations: tableOperations, period, label: 'throttled' }),
      ]),
    );

    this.heading('Queues', 'Messages waiting, and the age of the oldest, for each queue the stack owns.');
  }

  /**
   * Adds a queue's depth (messages visible) and the age of its oldest message: for the call-event
   * queue, the webhook delivery queue and their dead-letter queues, as they are added to the stack.
   */
  addQueueDepth(label: string, queue: IQueue): void {
    this.dashboard.addWidgets(
      new GraphWidget({
        title: `${label}: depth`,
        width,
        left: [queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: 'visible' })],
        right: [queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label: 'oldest (s)' })],
      }),
    );
  }

  private heading(title: string, text: string) {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}\n${text}`, width, height: 2 }));
  }

  private business(name: MetricName, operation: string, label: string): IMetric {
    return new Metric({
      namespace: this.metricsNamespace,
      metricName: name,
      dimensionsMap: { [metricDimensions.operation]: operation },
      statistic: 'Sum',
      period,
      label,
    });
  }

  /** The sender's own metrics (`backoffice/webhooks/emfMetrics.ts`), under its operation. */
  private webhookMetric(metricName: string, label: string): IMetric {
    return new Metric({
      namespace: this.metricsNamespace,
      metricName,
      dimensionsMap: { [metricDimensions.operation]: webhookSenderOperation },
      statistic: 'Sum',
      period,
      label,
    });
  }

  /** Every series of a metric, whichever operations write it (and by `extra` dimensions too). */
  private search(name: MetricName, extra: string[] = []): IMetric {
    const schema = [`"${this.metricsNamespace}"`, metricDimensions.operation, ...extra].join(',');
    return new MathExpression({
      expression: `SEARCH('{${schema}} MetricName="${name}"', 'Sum', ${period.toSeconds()})`,
      usingMetrics: {},
      period,
      label: '',
    });
  }
}

const graph = (title: string, left: IMetric[]): IWidget => new GraphWidget({ title, left, width: width / 3 });
