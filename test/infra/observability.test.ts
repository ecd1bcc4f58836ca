import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { routeList, routes } from '../../lambdas/http/routes.js';
import { metricNames } from '../../lambdas/observability/metricCatalog.js';
import { synthesizeTemplateOnly } from './synth.js';

type Resource = { Type: string; Properties: Record<string, any> };
let template: Template;
let stack: Stack;
let resources: Record<string, Resource>;

/** A quiet stage. */
let quiet: ReturnType<typeof synthesizeTemplateOnly>;
beforeAll(() => {
  quiet = synthesizeTemplateOnly({ 'athos:logLevel': 'warn' });
}, 300_000);

beforeAll(() => {
  ({ template, stack } = synthesizeTemplateOnly());
  resources = template.toJSON().Resources;
}, 300_000);

const ofType = (type: string, from = resources) =>
  Object.entries(from).filter(([, resource]) => resource.Type === type);
/** Every function of ours: the routes' and the back office's (not CDK's own helpers). */
const functions = (from = resources) =>
  ofType('AWS::Lambda::Function', from).filter(([, fn]) => fn.Properties.LoggingConfig?.LogFormat === 'JSON');
/** The routes, the call-event consumer and simulator, the webhook fan-out and sender. */
const functionCount = routeList.length + 4;

/** The dashboard's widgets, with the template's references replaced by their logical ids. */
const dashboardWidgets = (from = resources): any[] => {
  const [, dashboard] = ofType('AWS::CloudWatch::Dashboard', from)[0] ?? [];
  const parts: unknown[] = dashboard?.Properties.DashboardBody['Fn::Join'][1] ?? [];
  const body = parts
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part).replace(/"/g, "'")))
    .join('');
  return JSON.parse(body).widgets;
};
const metricsOf = (widget: any): unknown[][] => widget.properties.metrics ?? [];
const titled = (title: string) => dashboardWidgets().find((widget) => widget.properties.title === title);

describe('tracing', () => {
  it('starts at the API stage and goes through every function', () => {
    const [[, stage] = []] = ofType('AWS::ApiGateway::Stage');
    expect(stage?.Properties.TracingEnabled).toBe(true);
    expect(functions()).toHaveLength(functionCount);
    for (const [, fn] of functions()) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });
});

describe('function logs', () => {
  it('are JSON, at the stage’s application log level, in each function’s own group, which keeps its retention', () => {
    for (const [, fn] of functions()) {
      const { LogFormat, ApplicationLogLevel, LogGroup } = fn.Properties.LoggingConfig;
      expect({ LogFormat, ApplicationLogLevel }).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' });
      expect(resources[LogGroup.Ref]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 90 },
      });
    }
  });

  it('take their level and retention from the stage settings, and metrics one namespace per stage', () => {
    const { template: staging } = synthesizeTemplateOnly({
      'athos:stageName': 'staging',
      'athos:logLevel': 'debug',
      'athos:logRetentionDays': '30',
    });
    const stagingResources = staging.toJSON().Resources as Record<string, Resource>;

    const stagingFunctions = functions(stagingResources);
    expect(stagingFunctions).toHaveLength(functionCount);
    for (const [, fn] of stagingFunctions) {
      expect(fn.Properties.LoggingConfig.ApplicationLogLevel).toBe('DEBUG');
      expect(stagingResources[fn.Properties.LoggingConfig.LogGroup.Ref]?.Properties.RetentionInDays).toBe(30);
      expect(fn.Properties.Environment.Variables.METRICS_NAMESPACE).toBe('AthosExternalApi/staging');
    }
    for (const [, fn] of functions()) {
      expect(fn.Properties.Environment.Variables.METRICS_NAMESPACE).toBe('AthosExternalApi/prod');
    }
  });

  it('warn at synth when the stage level would drop the request and metric lines', () => {
    Annotations.fromStack(quiet.stack).hasWarning('*', Match.stringLikeRegexp('drops the request lines'));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('drops'))).toEqual([]);
  });
});

describe('the dashboard', () => {
  it.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'shows %s: requests, 4XX and 5XX, p50 and p99 latency, and throttles',
    (title, route) => {
      const onRoute = (metric: unknown[]) =>
        metric.includes('AWS/ApiGateway') && metric.includes(route.path) && metric.includes(route.method);
      const requests = metricsOf(titled(`${title}: requests`)).filter(onRoute);
      expect(requests.map((metric) => metric[1])).toEqual(['Count', '4XXError', '5XXError']);
      const latency = metricsOf(titled(`${title}: latency (ms)`)).filter(onRoute);
      expect(latency.map((metric) => (metric.at(-1) as { stat: string }).stat)).toEqual(['p50', 'p99']);
      const throttles = metricsOf(titled(`${title}: throttles`));
      expect(throttles.map((metric) => metric.slice(0, 2))).toEqual(
        expect.arrayContaining([['AWS/Lambda', 'Throttles']]),
      );
    },
  );

  it('shows every business metric, from the stage’s namespace, by operation and never by tenant', () => {
    const text = JSON.stringify(dashboardWidgets());
    for (const name of Object.values(metricNames)) expect(text).toContain(name);
    expect(text).toContain('AthosExternalApi/prod');
    expect(text).not.toContain('tenantId');
    expect(metricsOf(titled('Sessions'))).toEqual([
      ['AthosExternalApi/prod', 'SessionsMinted', 'operation', 'mintSession', expect.anything()],
      ['AthosExternalApi/prod', 'SessionsRedeemed', 'operation', 'redeemSession', expect.anything()],
    ]);
  });

  it('shows the webhook sender’s deliveries: delivered, attempts failed, failed for good', () => {
    expect(metricsOf(titled('Webhook deliveries')).map((metric) => metric.slice(0, 4))).toEqual([
      ['AthosExternalApi/prod', 'Delivered', 'operation', 'deliverWebhook'],
      ['AthosExternalApi/prod', 'AttemptsFailed', 'operation', 'deliverWebhook'],
      ['AthosExternalApi/prod', 'DeliveriesFailed', 'operation', 'deliverWebhook'],
    ]);
  });

  it.each(['Call events', 'Call events set aside (dead letters)', 'Webhook deliveries', 'Webhook dead letters'])(
    'shows the depth of the queue %s, and the age of its oldest message',
    (label) => {
      expect(dashboardWidgets().some((widget) => /^## Queues/.test(widget.properties.markdown ?? ''))).toBe(true);
      expect(metricsOf(titled(`${label}: depth`)).map((metric) => metric.slice(0, 2))).toEqual([
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
        ['AWS/SQS', 'ApproximateAgeOfOldestMessage'],
      ]);
    },
  );
});

describe('saved Logs Insights queries', () => {
  const queries = () =>
    Object.fromEntries(
      ofType('AWS::Logs::QueryDefinition').map(([, query]) => [
        String(query.Properties.Name).replace(/^AthosExternalApi-prod\//, ''),
        {
          query: String(query.Properties.QueryString),
          logGroups: (query.Properties.LogGroupNames as { Ref: string }[]).map((group) => group.Ref),
        },
      ]),
    );
  const functionLogGroups = () =>
    functions()
      .map(([, fn]) => fn.Properties.LoggingConfig.LogGroup.Ref as string)
      .sort();

  it('are filed under the stack’s name, one for each question the operating docs answer', () => {
    expect(Object.keys(queries()).sort()).toEqual(
      [
        'Back-office failures',
        'Back-office invocations by function',
        'Latency by route',
        'One request by request id',
        'Refusals by code',
        'Requests and errors per tenant',
        'Sessions minted and redeemed per tenant',
        'Slowest requests',
      ].sort(),
    );
  });

  it('read the request or invocation lines of every function', () => {
    const reads: Record<string, string> = {
      'One request by request id': 'requestId',
      'Back-office invocations by function': 'message = "invocation"',
      'Back-office failures': 'level = "error" and message != "request"',
    };
    for (const [name, { query, logGroups }] of Object.entries(queries())) {
      expect(query).toContain(reads[name] ?? 'message = "request"');
      expect(logGroups.filter((group) => !group.startsWith('ApiAccessLogs')).sort()).toEqual(functionLogGroups());
    }
  });

  it('show how each back-office function is keeping up, and what failed in it', () => {
    const all = queries();
    expect(all['Back-office invocations by function']?.query).toMatch(
      /count\(\*\) as invocations,.*sum\(leftOnQueue\).*pct\(durationMs, 99\).*by operation, level/,
    );
    expect(all['Back-office failures']?.query).toMatch(/fields @timestamp, operation, message, errorName/);
    expect(all['Back-office failures']?.query).toMatch(/sort @timestamp desc/);
  });

  it('count per tenant: requests, refusals and server errors; sessions minted and redeemed; refusals by code', () => {
    const all = queries();
    expect(all['Requests and errors per tenant']?.query).toMatch(/stats count\(\*\) as requests,.*by tenantId/);
    expect(all['Sessions minted and redeemed per tenant']?.query).toMatch(
      /status = 200 and operation in \["mintSession", "redeemSession"\][\s\S]*by tenantId, operation/,
    );
    expect(all['Refusals by code']?.query).toMatch(/status >= 400 and status < 500[\s\S]*by code, operation, tenantId/);
  });

  it('find the slowest requests and routes, and one request in the access log as well', () => {
    const all = queries();
    expect(all['Slowest requests']?.query).toMatch(/sort durationMs desc/);
    expect(all['Latency by route']?.query).toMatch(/pct\(durationMs, 99\)[\s\S]*by operation/);
    expect(all['One request by request id']?.logGroups.some((group) => group.startsWith('ApiAccessLogs'))).toBe(true);
  });
});

describe('alarms on what users feel', () => {
  it('fire when mints are refused for quota, from the business metric', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AthosExternalApi/prod',
      MetricName: 'RequestsRefused',
      Dimensions: [
        { Name: 'code', Value: 'TENANT_QUOTA_EXCEEDED' },
        { Name: 'operation', Value: routes.mintSession.operationId },
      ],
      Statistic: 'Sum',
      Threshold: 5,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fire when webhook deliveries fail for good, from the sender’s metric', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AthosExternalApi/prod',
      MetricName: 'DeliveriesFailed',
      Dimensions: [{ Name: 'operation', Value: 'deliverWebhook' }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it('fire when redeems fail with 5XX, whatever the overall error rate', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: Match.arrayWith([
        { Name: 'Method', Value: routes.redeemSession.method },
        { Name: 'Resource', Value: routes.redeemSession.path },
      ]),
      Threshold: 3,
    });
  });
});
