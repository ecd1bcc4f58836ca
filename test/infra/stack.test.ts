import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { routeList, routes } from '../../lambdas/http/routes.js';
import { gatewayErrors } from '../../lambdas/http/gatewayResponses.js';
import { slimCallAttributes, tableDefinition } from '../../lambdas/store/tableDefinition.js';
import { bundleOf, synthesize, synthesizeTemplateOnly } from './synth.js';

let template: Template;
let outdir: string;
type Resource = {
  Type: string;
  Properties: Record<string, any>;
  Metadata?: Record<string, string>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
let resources: Record<string, Resource>;

beforeAll(() => {
  ({ template, outdir } = synthesize());
  resources = template.toJSON().Resources;
}, 300_000);

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** A method's full path, rebuilt from its resource's parents. */
const pathOf = (resourceId: unknown): string => {
  if (typeof resourceId === 'object' && resourceId && 'Fn::GetAtt' in resourceId) return '';
  const id = (resourceId as { Ref: string }).Ref;
  const resource = resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
};

const functionOf = (operationId: string) => {
  const found = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(`Handlers${operationId}`));
  if (!found) throw new Error(`no function for ${operationId}`);
  return found;
};

describe('the API', () => {
  it('is a regional REST API', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  it('has a method for every route, proxied to its own function, with auth left to the handler', () => {
    const methods = ofType('AWS::ApiGateway::Method').filter(
      ([, method]) => method.Properties.HttpMethod !== 'OPTIONS',
    );
    const found = methods.map(([, method]) => ({
      method: method.Properties.HttpMethod,
      path: pathOf(method.Properties.ResourceId),
      operation: method.Properties.OperationName,
      authorization: method.Properties.AuthorizationType,
      integration: method.Properties.Integration.Type,
      target: JSON.stringify(method.Properties.Integration.Uri),
    }));
    expect(found.map(({ target, ...rest }) => rest).sort((a, b) => a.operation.localeCompare(b.operation))).toEqual(
      routeList
        .map((route) => ({
          method: route.method,
          path: route.path,
          operation: route.operationId,
          authorization: 'NONE',
          integration: 'AWS_PROXY',
        }))
        .sort((a, b) => a.operation.localeCompare(b.operation)),
    );
    for (const { operation, target } of found) expect(target).toContain(functionOf(operation)[0]);
  });

  it('answers preflight on the redeem route only, with the CORS policy and a request id', () => {
    const options = ofType('AWS::ApiGateway::Method').filter(
      ([, method]) => method.Properties.HttpMethod === 'OPTIONS',
    );
    expect(options.map(([, method]) => pathOf(method.Properties.ResourceId))).toEqual([routes.redeemSession.path]);
    const [, preflight] = options[0] ?? [];
    expect(preflight?.Properties.Integration).toMatchObject({
      Type: 'MOCK',
      IntegrationResponses: [
        {
          StatusCode: '204',
          ResponseParameters: {
            'method.response.header.Access-Control-Allow-Origin': "'*'",
            'method.response.header.Access-Control-Allow-Methods': "'POST, OPTIONS'",
            'method.response.header.Access-Control-Allow-Headers': "'Authorization, Content-Type'",
            'method.response.header.Access-Control-Expose-Headers': "'X-Athos-Request-Id'",
            'method.response.header.X-Athos-Request-Id': 'context.requestId',
          },
        },
      ],
    });
  });

  it("hands every body to the handlers as the client's bytes, so they can refuse what is not UTF-8", () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
    // With every type binary, the gateway's own preflight must be told its answer is text.
    const [, preflight] =
      ofType('AWS::ApiGateway::Method').find(([, method]) => method.Properties.HttpMethod === 'OPTIONS') ?? [];
    expect(preflight?.Properties.Integration.ContentHandling).toBe('CONVERT_TO_TEXT');
  });

  it('grants a listed origin only, when origins are listed', () => {
    const { template: listed } = synthesizeTemplateOnly({
      'athos:allowedOrigins': 'https://a.example,https://b.example',
    });
    const preflight = listed.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } });
    const [integrationResponse] = Object.values(preflight)[0]?.Properties.Integration.IntegrationResponses ?? [];
    expect(integrationResponse.ResponseTemplates['application/json']).toContain(
      '$origin == "https://a.example" || $origin == "https://b.example"',
    );
    expect(
      integrationResponse.ResponseParameters['method.response.header.Access-Control-Allow-Origin'],
    ).toBeUndefined();
  });

  it.each(Object.entries(gatewayErrors))('shapes the gateway own %s answer into the envelope', (type, error) => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      StatusCode: String(error.statusCode),
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.X-Athos-Request-Id': 'context.requestId',
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.Access-Control-Expose-Headers': "'X-Athos-Request-Id'",
        ...(error.code === 'SERVICE_UNAVAILABLE' ? { 'gatewayresponse.header.Retry-After': "'2'" } : {}),
      }),
      ResponseTemplates: {
        'application/json': JSON.stringify({
          error: { code: error.code, message: error.message, requestId: '$context.requestId' },
        }),
      },
    });
  });

  it('logs each request as one JSON line, never the bodies, and throttles by default and per route', () => {
    const [, stage] = ofType('AWS::ApiGateway::Stage')[0] ?? [];
    const format = JSON.parse(stage?.Properties.AccessLogSetting.Format);
    expect(Object.values(format)).toEqual(
      expect.arrayContaining([
        '$context.requestId',
        '$context.identity.sourceIp',
        '$context.httpMethod',
        '$context.path',
        '$context.status',
        '$context.responseLatency',
        '$context.error.message',
        '$context.xrayTraceId',
      ]),
    );
    expect(stage?.Properties.MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
        }),
        expect.objectContaining({
          HttpMethod: 'POST',
          ResourcePath: '/~1session',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
        expect.objectContaining({
          HttpMethod: 'GET',
          ResourcePath: '/~1calls',
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
      ]),
    );
  });
});

describe('the functions', () => {
  it.each(routeList.map((route) => [route.operationId, route] as const))(
    '%s runs Node.js 24 on arm64 with the shared defaults',
    (operationId) => {
      const [, fn] = functionOf(operationId);
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 10,
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
        TracingConfig: { Mode: 'Active' },
        Layers: [expect.stringMatching(/AWS-Parameters-and-Secrets-Lambda-Extension-Arm64/)],
      });
    },
  );

  it.each(routeList.map((route) => [route.operationId, route] as const))(
    '%s gets its settings, and only its own secrets, by reference',
    (operationId, route) => {
      const [, fn] = functionOf(operationId);
      const variables = fn.Properties.Environment.Variables;
      const secretSettings = Object.keys(variables)
        .filter((name) => name.endsWith('_SECRET_ARN'))
        .sort();
      expect(secretSettings).toEqual(
        route.keys
          .map(
            (key) =>
              ({
                sessionToken: 'SESSION_TOKEN_SECRET_ARN',
                connectionTicket: 'CONNECTION_TICKET_SECRET_ARN',
                cursor: 'CURSOR_SECRET_ARN',
              })[key],
          )
          .sort(),
      );
      expect(Object.keys(variables).some((name) => name.endsWith('_KEYS'))).toBe(false);
      expect(variables).toMatchObject({
        TABLE_NAME: { Ref: expect.stringMatching(/^DataTable/) },
        SESSION_TOKEN_TTL_SECONDS: '300',
        ALLOWED_ORIGINS: '*',
        METRICS_NAMESPACE: 'AthosExternalApi/prod',
      });
    },
  );

  it.each(routeList.map((route) => [route.operationId] as const))(
    '%s is one minified ESM file with the AWS SDK inside',
    (operationId) => {
      const [, fn] = functionOf(operationId);
      const bundle = bundleOf(outdir, fn.Metadata?.['aws:asset:path'] ?? '');
      expect(bundle.startsWith("import{createRequire as __athosRequire}from'node:module'")).toBe(true);
      expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
      // Minified: long lines (a readable bundle averages well under 100 characters a line).
      expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1_000);
      expect(bundle.length).toBeLessThan(450_000);
    },
  );

  it('bundles every function it deploys (the API, call events, simulator, webhook fan-out and sender) as one ESM file within 400 KB, the SDK inside', () => {
    const bundles = ofType('AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties.Runtime === 'nodejs24.x')
      .map(([id, fn]) => [id, bundleOf(outdir, fn.Metadata?.['aws:asset:path'] ?? '')] as const);
    expect(bundles.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      [
        'CallEventsConsumer',
        'CallEventsSimulator',
        'WebhooksFanOut',
        'WebhooksSender',
        ...routeList.map((route) => `Handlers${route.operationId}`),
      ].sort(),
    );
    for (const [id, bundle] of bundles) {
      expect([id, Buffer.byteLength(bundle) <= 400 * 1024]).toEqual([id, true]);
      expect([id, bundle.startsWith("import{createRequire as __athosRequire}from'node:module'")]).toEqual([id, true]);
      expect([id, /from\s*["']@aws-sdk\//.test(bundle)]).toEqual([id, false]);
      // The SDK's default credential chain gives way to the environment's credentials, all Lambda has.
      expect([id, bundle.includes('credential-provider-sso')]).toEqual([id, false]);
      // Loaded when first used, not at every cold start: web streams (Middy uses them only for
      // streamed responses) and UDP (only a traced call sends).
      expect([id, /from\s*["']node:(stream\/web|dgram)["']/.test(bundle)]).toEqual([id, false]);
    }
  });

  const statementsOf = (operationId: string) => {
    const [fnId] = functionOf(operationId);
    const policy = ofType('AWS::IAM::Policy').find(([id]) => id.startsWith(`Handlers${operationId}Role`));
    expect(fnId).toBeDefined();
    return (policy?.[1].Properties.PolicyDocument.Statement ?? []) as {
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }[];
  };
  const actionsOf = (operationId: string) =>
    statementsOf(operationId)
      .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
      .sort();

  it.each([
    [
      'mintSession',
      [
        'dynamodb:BatchGetItem',
        'dynamodb:UpdateItem',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ],
    ],
    [
      'redeemSession',
      [
        'dynamodb:ConditionCheckItem',
        'dynamodb:PutItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ],
    ],
    [
      'listCalls',
      [
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ],
    ],
    [
      'getCall',
      [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchGetItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ],
    ],
  ])('%s may do exactly %j', (operationId, actions) => {
    expect(actionsOf(operationId)).toEqual(actions);
  });

  it('runs every function on the Node.js major version the npm scripts are pinned to', () => {
    const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies: { node: string } })
      .optionalDependencies.node;
    const runtimes = new Set(ofType('AWS::Lambda::Function').map(([, resource]) => resource.Properties.Runtime));
    expect([...runtimes]).toEqual([`nodejs${pinned.split('.')[0]}.x`]);
  });

  it('lets no function use an AWS managed policy', () => {
    for (const [id, role] of ofType('AWS::IAM::Role').filter(([id]) => id.startsWith('Handlers'))) {
      expect([id, role.Properties.ManagedPolicyArns]).toEqual([id, undefined]);
    }
  });

  it('confines every table permission to the key prefixes its store uses', () => {
    const conditionOf = (operationId: string, action: string) =>
      statementsOf(operationId).find((statement) => statement.Action === action)?.Condition;
    expect(conditionOf('mintSession', 'dynamodb:BatchGetItem')).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*', 'TENANT#*'] },
    });
    const mintUpdates = statementsOf('mintSession').filter((statement) => statement.Action === 'dynamodb:UpdateItem');
    expect(mintUpdates.map((statement) => statement.Condition)).toEqual([
      expect.objectContaining({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#*'] } }),
      expect.objectContaining({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] } }),
    ]);
    const getReads = statementsOf('getCall').filter((statement) => statement.Action === 'dynamodb:BatchGetItem');
    expect(getReads.map((statement) => statement.Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*', 'TENANT#*'] } },
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CALL#*'] } },
    ]);
    expect(conditionOf('redeemSession', 'dynamodb:PutItem')).toMatchObject({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['JTI#*', 'CALL#*'] },
      'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
    });
    expect(conditionOf('redeemSession', 'dynamodb:ConditionCheckItem')).toMatchObject({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#*'] },
      'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
    });
  });

  describe('writes no attribute beyond what its store writes, and reads nothing back through a write', () => {
    const attributesOf = (condition: unknown): string[] =>
      (condition as { 'ForAllValues:StringEquals'?: { 'dynamodb:Attributes'?: string[] } })[
        'ForAllValues:StringEquals'
      ]?.['dynamodb:Attributes'] ?? [];
    const writes = (operationId: string, action: string) =>
      statementsOf(operationId)
        .filter((statement) => statement.Action === action)
        .map((statement) => statement.Condition as Record<string, Record<string, unknown>>);
    const noReturnValues = { StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] } };

    it("mint counts a session without touching the tenant's record: only the counter attribute", () => {
      const [quota] = writes('mintSession', 'dynamodb:UpdateItem');
      // The counter shares the tenant's partition: without this, the same grant could rewrite the
      // tenant's status, allowlist or quota.
      expect(attributesOf(quota).sort()).toEqual(['pk', 'sessionsMinted', 'sk']);
      expect(quota).toMatchObject(noReturnValues);
    });

    it("mint notes a key's use without being able to re-activate it: only lastUsedAt", () => {
      const [, usage] = writes('mintSession', 'dynamodb:UpdateItem');
      expect(attributesOf(usage).sort()).toEqual(['lastUsedAt', 'pk', 'sk']);
      expect(usage).toMatchObject(noReturnValues);
    });

    it('redeem puts a token use and an unscored call: no list-index key, score or transcript', () => {
      const [put] = writes('redeemSession', 'dynamodb:PutItem');
      const attributes = attributesOf(put);
      expect(attributes).toEqual(expect.arrayContaining(['pk', 'sk', 'callId', 'tenantId', 'status', 'usedAt']));
      for (const forbidden of [
        ...tableDefinition.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
        'score',
        'transcript',
        'scoredAt',
        'endedAt',
      ]) {
        expect([forbidden, attributes.includes(forbidden)]).toEqual([forbidden, false]);
      }
      expect(put).toMatchObject(noReturnValues);
    });

    it("redeem's checks read only a status and a rotation end", () => {
      const [check] = writes('redeemSession', 'dynamodb:ConditionCheckItem');
      expect(attributesOf(check).sort()).toEqual(['expiresAt', 'pk', 'sk', 'status']);
    });
  });

  it('lets the list function query the list indexes and nothing else', () => {
    const query = statementsOf('listCalls').find((statement) => statement.Action === 'dynamodb:Query');
    const resources = JSON.stringify(query?.Resource);
    expect(tableDefinition.indexes.map((index) => index.indexName)).toEqual([
      'callsByTenant',
      'callsByUser',
      'callsByAgency',
      'callsByUserAndAgency',
    ]);
    for (const index of tableDefinition.indexes) expect(resources).toContain(`/index/${index.indexName}`);
    expect(query?.Resource).toHaveLength(tableDefinition.indexes.length);
    expect(query?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#*'] },
    });
  });
});

describe('the table', () => {
  it('has the shared keys, sparse list indexes with slim projections, and a TTL attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
      GlobalSecondaryIndexes: tableDefinition.indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...slimCallAttributes] },
      })),
    });
  });

  it('survives mistakes: PITR, deletion protection, encryption, retained on stack deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      }),
    });
  });
});

describe('keys, alarms and outputs', () => {
  it('generates three key sets in Secrets Manager at deploy time', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(3);
    for (const [, secret] of secrets) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({
        SecretStringTemplate: '{"kid":"k1"}',
        GenerateStringKey: 'key',
        PasswordLength: 64,
      });
      expect(secret.Properties.SecretString).toBeUndefined();
    }
  });

  it('alarms on 5XX rate, p99 latency per route, Lambda errors and throttles, DynamoDB errors and throttling, dead letters, quota refusals, failing redeems and webhook deliveries', () => {
    // The webhook alarms have their own test (webhooks.test.ts).
    const alarms = ofType('AWS::CloudWatch::Alarm')
      .map(([id]) => id.replace(/[A-F0-9]{8}$/, ''))
      .filter((id) => !id.startsWith('Webhooks'));
    const expected = [
      'AlarmsServerErrorRate',
      'AlarmsMintsRefusedForQuota',
      'AlarmsRedeemServerErrors',
      'AlarmsWebhookDeliveriesFailed',
      'CallEventsDeadLettersAlarm',
      'AlarmsTableSystemErrors',
      'AlarmsTableThrottledRequests',
      ...routeList.flatMap((route) =>
        ['P99Latency', 'LambdaErrors', 'LambdaThrottles'].map((kind) => `Alarms${route.operationId}${kind}`),
      ),
    ];
    expect(alarms.sort()).toEqual(expected.sort());
    expect(ofType('AWS::SNS::Topic')).toHaveLength(0);
  });

  it('sends alarms to an encrypted topic when an address is configured', () => {
    const { template: withEmail } = synthesizeTemplateOnly({ 'athos:alarmEmail': 'oncall@example.com' });
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    withEmail.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    for (const alarm of Object.values(withEmail.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });

  it('outputs the API URL, the table name and the secret ARNs', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'DashboardName',
        'TableName',
        'SessionTokenSecretArn',
        'ConnectionTicketSecretArn',
        'CursorSecretArn',
      ]),
    );
  });
});
