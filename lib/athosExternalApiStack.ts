import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routeList } from '../lambdas/http/routes.js';
import { metricsNamespaceFor } from '../lambdas/observability/metricCatalog.js';
import { ApiAlarms } from './constructs/apiAlarms.js';
import { ApiDashboard } from './constructs/apiDashboard.js';
import { ApiFunction } from './constructs/apiFunction.js';
import { ApiHandlers } from './constructs/apiHandlers.js';
import { CallEvents } from './constructs/callEvents.js';
import { DataTable } from './constructs/dataTable.js';
import { ExternalApi } from './constructs/externalApi.js';
import { LogQueries } from './constructs/logQueries.js';
import { SigningKeys } from './constructs/signingKeys.js';
import { WebhookDelivery } from './constructs/webhookDelivery.js';
import type { StageConfig } from './stageConfig.js';

export interface AthosExternalApiStackProps extends StackProps {
  readonly config: StageConfig;
  /** Where the route table's handler paths start: the project root. */
  readonly projectRoot: string;
}

/**
 * The Athos External API in one account and region: table, keys, handlers, API, webhooks, and what
 * it takes to run them: alarms, a dashboard and saved log queries.
 */
export class AthosExternalApiStack extends Stack {
  readonly dashboard: ApiDashboard;

  constructor(scope: Construct, id: string, props: AthosExternalApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    const { table } = new DataTable(this, 'Data');
    const { secrets } = new SigningKeys(this, 'SigningKeys');
    const { functions } = new ApiHandlers(this, 'Handlers', {
      routes: routeList,
      table,
      secrets,
      config,
      logRetention,
      projectRoot: props.projectRoot,
    });
    const { api, accessLogs } = new ExternalApi(this, 'Api', { routes: routeList, functions, config, logRetention });
    const metricsNamespace = metricsNamespaceFor(config.stageName);
    const callEvents = new CallEvents(this, 'CallEvents', {
      table,
      producers: config.callEventProducers,
      simulatedCallSeconds: config.simulatedCallSeconds,
      logRetention,
      projectRoot: props.projectRoot,
    });
    const alarms = new ApiAlarms(this, 'Alarms', {
      api,
      routes: routeList,
      functions,
      table,
      metricsNamespace,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });
    const webhooks = new WebhookDelivery(this, 'Webhooks', {
      table,
      logRetention,
      projectRoot: props.projectRoot,
      metricsNamespace,
    });
    alarms.notify(callEvents.deadLetterAlarm);
    for (const alarm of webhooks.alarms) alarms.notify(alarm);

    // Every function of the stage, whichever construct made it, logs at the stage's level and
    // writes its metrics to the stage's namespace.
    const allFunctions = this.node.findAll().filter((node): node is ApiFunction => node instanceof ApiFunction);
    for (const fn of allFunctions) fn.observe({ logLevel: applicationLogLevels[config.logLevel], metricsNamespace });
    this.dashboard = new ApiDashboard(this, 'Dashboard', {
      api,
      routes: routeList,
      functions,
      table,
      metricsNamespace,
    });
    this.dashboard.addQueueDepth('Call events', callEvents.queue);
    this.dashboard.addQueueDepth('Call events set aside (dead letters)', callEvents.deadLetterQueue);
    this.dashboard.addQueueDepth('Webhook deliveries', webhooks.queue);
    this.dashboard.addQueueDepth('Webhook dead letters', webhooks.deadLetterQueue);
    new LogQueries(this, 'Queries', {
      folder: this.stackName,
      functionLogs: allFunctions.map((fn) => fn.logGroup),
      accessLogs,
    });
    if (config.logLevel === 'warn' || config.logLevel === 'error') {
      Annotations.of(this).addWarningV2(
        'athos:logLevel',
        `At ${config.logLevel}, Lambda drops the request lines the saved queries read and the metric lines the dashboard and business alarms read.`,
      );
    }

    new CfnOutput(this, 'CallEventsQueueUrl', {
      value: callEvents.queue.queueUrl,
      description: 'Where the voice pipeline sends call events (docs/call-events.md)',
    });
    new CfnOutput(this, 'CallEventsDeadLetterQueueUrl', {
      value: callEvents.deadLetterQueue.queueUrl,
      description: 'Call events set aside or not recorded (athos-admin events dead-letters)',
    });
    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the API (the stage URL)' });
    if (api.domainName) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: api.domainName.domainNameAliasDomainName,
        description: `Point ${config.domainName} at this name (CNAME or alias)`,
      });
    }
    new CfnOutput(this, 'DashboardName', {
      value: this.dashboard.dashboard.dashboardName,
      description: 'The CloudWatch dashboard of this stage (docs/observability.md)',
    });
    new CfnOutput(this, 'TableName', {
      value: table.tableName,
      description: 'The DynamoDB table (for athos-admin --table)',
    });
    for (const [name, secret] of Object.entries(secrets)) {
      new CfnOutput(this, `${name[0]?.toUpperCase()}${name.slice(1)}SecretArn`, {
        value: secret.secretArn,
        description: `The ${name} key set (rotate by kid, see docs/operating.md)`,
      });
    }
  }
}

const applicationLogLevels: Record<StageConfig['logLevel'], ApplicationLogLevel> = {
  debug: ApplicationLogLevel.DEBUG,
  info: ApplicationLogLevel.INFO,
  warn: ApplicationLogLevel.WARN,
  error: ApplicationLogLevel.ERROR,
};
