import type { Template } from 'aws-cdk-lib/assertions';
import { synthesizeTemplateOnly } from './synth.js';

let template: Template;
type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;

beforeAll(() => {
  ({ template } = synthesizeTemplateOnly());
  resources = template.toJSON().Resources;
}, 120_000);

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const idOf = (prefix: string, type: string) => {
  const found = ofType(type).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} ${prefix}`);
  return found[0];
};
const statementsOf = (rolePrefix: string) =>
  (ofType('AWS::IAM::Policy').find(([id]) => id.startsWith(rolePrefix))?.[1].Properties.PolicyDocument.Statement ??
    []) as { Action: string | string[]; Resource: unknown; Condition?: Record<string, any> }[];
const actionsOf = (rolePrefix: string) =>
  statementsOf(rolePrefix)
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
    .sort();

describe('webhook delivery', () => {
  it('gives the table a stream of new images, which only outbox inserts take to the fan-out', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
    const [, mapping] =
      ofType('AWS::Lambda::EventSourceMapping').find(([, m]) =>
        m.Properties.FunctionName.Ref?.startsWith('WebhooksFanOut'),
      ) ?? [];
    expect(mapping?.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [idOf('WebhooksFanOutFailures', 'AWS::SQS::Queue'), 'Arn'] } },
      },
    });
    expect(JSON.parse(mapping?.Properties.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } },
    });
  });

  it('feeds the sender from an encrypted delivery queue with a dead-letter queue, reporting partial batches', () => {
    const deliveries = idOf('WebhooksDeliveries', 'AWS::SQS::Queue');
    expect(resources[deliveries]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [idOf('WebhooksDeadLetters', 'AWS::SQS::Queue'), 'Arn'] },
        maxReceiveCount: 20,
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [deliveries, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    // Each queue refuses requests without TLS.
    for (const [, policy] of ofType('AWS::SQS::QueuePolicy')) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('aws:SecureTransport');
    }
    expect(ofType('AWS::SQS::QueuePolicy').length).toBeGreaterThanOrEqual(3);
  });

  it('gives the sender 30 s: ten posts side by side of at most 10 s each, and their writes', () => {
    const [, sender] = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('WebhooksSender')) ?? [];
    expect(sender?.Properties).toMatchObject({ Timeout: 30, Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    expect(sender?.Properties.Environment.Variables).toMatchObject({
      WEBHOOK_KMS_KEY_ID: { 'Fn::GetAtt': [idOf('WebhooksSecretsKey', 'AWS::KMS::Key'), 'Arn'] },
    });
    expect(Object.keys(sender?.Properties.Environment.Variables)).not.toContain('WEBHOOK_SEALING_KEYS');
    expect(Object.keys(sender?.Properties.Environment.Variables)).not.toContain('WEBHOOK_OUTBOUND_POLICY');
  });

  it('lets the fan-out read endpoints, create deliveries and queue them: nothing else', () => {
    expect(actionsOf('WebhooksFanOutRole')).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'dynamodb:ListStreams',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
      ].sort(),
    );
    const leadingKeys = statementsOf('WebhooksFanOutRole')
      .filter((statement) => statement.Condition)
      .map((statement) => statement.Condition?.['ForAllValues:StringLike']['dynamodb:LeadingKeys']);
    expect(leadingKeys).toEqual([['WEBHOOKS#*'], ['DELIVERIES#*']]);
  });

  it('lets the sender read and record deliveries, decrypt secrets for their purpose only, and write no call or tenant', () => {
    expect(actionsOf('WebhooksSenderRole')).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'dynamodb:BatchGetItem',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
        'dynamodb:UpdateItem',
        'dynamodb:PutItem',
        'kms:Decrypt',
      ].sort(),
    );
    const statements = statementsOf('WebhooksSenderRole');
    for (const statement of statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'))) {
      expect(statement.Condition?.['ForAllValues:StringLike']['dynamodb:LeadingKeys'].sort()).toEqual(
        expect.arrayContaining(['WEBHOOKS#*']),
      );
      expect(JSON.stringify(statement.Condition)).not.toMatch(/TENANT#|CALL#|APIKEY#/);
    }
    const put = statements.find((statement) => statement.Action === 'dynamodb:PutItem');
    expect(put?.Condition?.['ForAnyValue:StringEquals']).toEqual({
      'dynamodb:EnclosingOperation': ['TransactWriteItems'],
    });
    const decrypt = statements.find((statement) => statement.Action === 'kms:Decrypt');
    expect(decrypt?.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:purpose': 'athos-webhook-secret' } });
  });

  it('rotates the key that seals signing secrets, and outputs it for the admin CLI', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(Object.keys(template.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['WebhookSecretsKeyArn', 'WebhookDeadLetterQueueUrl']),
    );
  });

  it('alarms on dead letters, fan-out failures and lag, function errors and disabled endpoints', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm')
      .map(([id]) => id.replace(/[A-F0-9]{8}$/, ''))
      .filter((id) => id.startsWith('Webhooks'));
    expect(alarms.sort()).toEqual(
      [
        'WebhooksDeadLettersAlarm',
        'WebhooksFanOutFailuresAlarm',
        'WebhooksFanOutIteratorAgeAlarm',
        'WebhooksFanOutErrorsAlarm',
        'WebhooksSenderErrorsAlarm',
        'WebhooksEndpointsDisabledAlarm',
      ].sort(),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AthosExternalApi/prod',
      MetricName: 'EndpointsDisabled',
      Dimensions: [{ Name: 'operation', Value: 'deliverWebhook' }],
      Threshold: 1,
    });
  });

  it('sends the webhook alarms to the alarm topic when there is one', () => {
    const { template: withEmail } = synthesizeTemplateOnly({ 'athos:alarmEmail': 'oncall@example.com' });
    const webhookAlarms = Object.entries(withEmail.findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
      id.startsWith('Webhooks'),
    );
    expect(webhookAlarms).toHaveLength(6);
    for (const [, alarm] of webhookAlarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });
});
