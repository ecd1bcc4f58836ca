import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routeList } from '../lambdas/http/routes.js';
import { ApiAlarms } from './constructs/apiAlarms.js';
import { ApiHandlers } from './constructs/apiHandlers.js';
import { CallEvents } from './constructs/callEvents.js';
import { DataTable } from './constructs/dataTable.js';
import { ExternalApi } from './constructs/externalApi.js';
import { SigningKeys } from './constructs/signingKeys.js';
import type { StageConfig } from './stageConfig.js';

export interface AthosExternalApiStackProps extends StackProps {
  readonly config: StageConfig;
  /** Where the route table's handler paths start: the project root. */
  readonly projectRoot: string;
}

/** The Athos External API in one account and region: table, keys, handlers, API and alarms. */
export class AthosExternalApiStack extends Stack {
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
    const { api } = new ExternalApi(this, 'Api', { routes: routeList, functions, config, logRetention });
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
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });

    alarms.notify(callEvents.deadLetterAlarm);

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
