import type { Template } from 'aws-cdk-lib/assertions';
import { readStageConfig } from '../../lib/stageConfig.js';
import { synthesizeTemplateOnly } from './synth.js';

/**
 * The call-events path in the template: synthesized with two named producers. Its function's
 * bundle is checked with every other function's, in stack.test.ts.
 */
const producerAccount = '210987654321';
const producerRole = 'arn:aws:iam::210987654321:role/voice-pipeline';
let template: Template;
type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;

beforeAll(() => {
  template = synthesizeTemplateOnly({ 'athos:callEventProducers': `${producerAccount},${producerRole}` }).template;
  resources = template.toJSON().Resources;
}, 180_000);

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const one = (type: string, idPrefix: string) => {
  const found = ofType(type).filter(([id]) => id.startsWith(idPrefix));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0]![1];
};
const idOf = (type: string, idPrefix: string) => ofType(type).find(([id]) => id.startsWith(idPrefix))?.[0];
const queueId = () => idOf('AWS::SQS::Queue', 'CallEventsQueue');
const deadLetterId = () => idOf('AWS::SQS::Queue', 'CallEventsDeadLetters');

describe('the call-events queue', () => {
  it('is encrypted, takes 1 MiB messages, and hands a message to the dead-letter queue after 5 deliveries', () => {
    expect(one('AWS::SQS::Queue', 'CallEventsQueue').Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MaximumMessageSize: 1_048_576,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId(), 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('keeps dead letters 14 days, encrypted', () => {
    expect(one('AWS::SQS::Queue', 'CallEventsDeadLetters').Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
  });

  it('alarms as soon as anything reaches the dead-letter queue', () => {
    expect(one('AWS::CloudWatch::Alarm', 'CallEventsDeadLettersAlarm').Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId(), 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
  });

  it('lets the named producers send, and denies everyone else but the simulator', () => {
    const policies = ofType('AWS::SQS::QueuePolicy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Queues).includes(String(queueId())),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0]![1].Properties.PolicyDocument.Statement as Record<string, any>[];
    const simulatorRole = idOf('AWS::IAM::Role', 'CallEventsSimulatorRole');
    expect(statements.find((statement) => statement.Sid === 'NamedProducersMaySend')).toMatchObject({
      Effect: 'Allow',
      Principal: {
        AWS: expect.arrayContaining([`arn:aws:iam::${producerAccount}:root`, producerRole]),
      },
      Action: expect.arrayContaining(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']),
    });
    expect(statements.find((statement) => statement.Sid === 'NobodyElseMaySend')).toEqual({
      Sid: 'NobodyElseMaySend',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      Condition: {
        ArnNotEquals: { 'aws:PrincipalArn': [producerRole, { 'Fn::GetAtt': [simulatorRole, 'Arn'] }] },
        StringNotEquals: { 'aws:PrincipalAccount': [producerAccount] },
      },
    });
    expect(
      statements.find((statement) => statement.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
    ).toBeDefined();
  });

  it('outputs its URL as CallEventsQueueUrl', () => {
    expect(template.toJSON().Outputs.CallEventsQueueUrl).toMatchObject({ Value: { Ref: queueId() } });
  });
});

describe('the consumer', () => {
  it('reads the queue in bounded batches, at bounded concurrency, reporting failed items only', () => {
    const mapping = ofType('AWS::Lambda::EventSourceMapping').find(
      ([, resource]) => resource.Properties.EventSourceArn?.['Fn::GetAtt']?.[0] === queueId(),
    );
    expect(mapping?.[1].Properties).toMatchObject({
      FunctionName: { Ref: idOf('AWS::Lambda::Function', 'CallEventsConsumer') },
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs like the API functions (arm64, JSON logs), with no secrets', () => {
    const consumer = one('AWS::Lambda::Function', 'CallEventsConsumer');
    expect(consumer.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 30,
      LoggingConfig: { LogFormat: 'JSON' },
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: expect.stringMatching(/^DataTable/) },
          CALL_EVENTS_DEAD_LETTER_QUEUE_URL: { Ref: deadLetterId() },
        },
      },
    });
    expect(consumer.Properties.Layers).toBeUndefined();
  });

  it('may read and update calls, write transcripts and webhook outbox items only within a transaction, and set aside on the dead-letter queue', () => {
    const policy = one('AWS::IAM::Policy', 'CallEventsConsumerRole');
    const statements = policy.Properties.PolicyDocument.Statement as Record<string, any>[];
    const simplified = statements.map((statement) => ({
      actions: [statement.Action].flat().sort(),
      on: JSON.stringify(statement.Resource),
      condition: statement.Condition,
    }));
    expect(simplified).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        on: expect.stringContaining('CallEventsConsumerLogs'),
        condition: undefined,
      },
      {
        // Active tracing: X-Ray's actions take no resource.
        actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        on: '"*"',
        condition: undefined,
      },
      {
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        on: expect.stringContaining('DataTable'),
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CALL#*'] } },
      },
      {
        actions: ['dynamodb:PutItem'],
        on: expect.stringContaining('DataTable'),
        condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CALL#*'] },
          'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
        },
      },
      {
        // The webhook outbox items, in the same transaction as the call's change.
        actions: ['dynamodb:PutItem'],
        on: expect.stringContaining('DataTable'),
        condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] },
          'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
        },
      },
      {
        actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        on: expect.stringContaining(String(deadLetterId())),
        condition: undefined,
      },
      {
        actions: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        on: expect.stringContaining(String(queueId())),
        condition: undefined,
      },
    ]);
  });
});

describe('the test-mode simulator', () => {
  it('is invoked by the table stream for new test-mode call items only', () => {
    expect(one('AWS::DynamoDB::Table', 'DataTable').Properties.StreamSpecification).toEqual({
      StreamViewType: 'NEW_IMAGE',
    });
    const mapping = ofType('AWS::Lambda::EventSourceMapping').find(
      ([, resource]) => resource.Properties.EventSourceArn?.['Fn::GetAtt']?.[1] === 'StreamArn',
    );
    expect(mapping?.[1].Properties).toMatchObject({
      FunctionName: { Ref: idOf('AWS::Lambda::Function', 'CallEventsSimulator') },
      StartingPosition: 'LATEST',
      MaximumRetryAttempts: 5,
      BisectBatchOnFunctionError: true,
    });
    expect(
      mapping?.[1].Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern)),
    ).toEqual([{ eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['CALL'] }, mode: { S: ['test'] } } } }]);
  });

  it('plays test-mode calls only, and may only send to the events queue', () => {
    const simulator = one('AWS::Lambda::Function', 'CallEventsSimulator');
    expect(simulator.Properties.Environment.Variables).toMatchObject({
      SIMULATED_MODES: 'test',
      SIMULATED_CALL_SECONDS: '60',
    });
    const statements = one('AWS::IAM::Policy', 'CallEventsSimulatorRole').Properties.PolicyDocument.Statement as Record<
      string,
      any
    >[];
    const sqs = statements.filter((statement) =>
      [statement.Action].flat().some((action: string) => action.startsWith('sqs:')),
    );
    expect(sqs).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [queueId(), 'Arn'] } })]);
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb:(Put|Update|Delete|BatchWrite)/);
  });
});

describe('call-event settings', () => {
  it.each([
    ['a short account id', '12345'],
    ['a user ARN', 'arn:aws:iam::123456789012:user/alice'],
  ])('refuses %s among the producers, naming the setting', (_case, value) => {
    expect(() => readStageConfig((name) => (name === 'athos:callEventProducers' ? value : undefined))).toThrow(
      'athos:callEventProducers',
    );
  });

  it('takes the producers as a list or as text, and the simulated call length as text', () => {
    const config = readStageConfig(
      (name) =>
        ({
          'athos:callEventProducers': ['123456789012', 'arn:aws:iam::123456789012:role/pipeline'],
          'athos:simulatedCallSeconds': '30',
        })[name],
    );
    expect(config).toMatchObject({
      callEventProducers: ['123456789012', 'arn:aws:iam::123456789012:role/pipeline'],
      simulatedCallSeconds: 30,
    });
  });
});
