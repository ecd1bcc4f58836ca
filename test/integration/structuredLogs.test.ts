import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildProxyEvent } from '../../local/gateway.js';
import { routes } from '../../lambdas/http/routes.js';
import { handlerEsbuildOptions } from '../../lib/handlerBundling.js';
import { createTestTenant, testTable } from '../support/fixtures.js';
import { captureStdout } from '../support/capturedStdout.js';
import { startTestApi, type ApiResponse, type TestApi } from '../support/testApi.js';
import { dynamoEndpoint, testKeys, testTableName } from '../support/testSettings.js';

/**
 * What an operator will read: the handlers' log lines, captured from stdout. The handlers read
 * their log level when they load (below), so it is set first.
 */
process.env.LOG_LEVEL = 'info';
const output = captureStdout();
const linesSince = (mark: number): Record<string, any>[] =>
  output
    .textSince(mark)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);

const table = testTable();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  output.start();
});
afterAll(async () => {
  output.stop();
  await api.close();
});

const requestIdOf = (response: ApiResponse) => response.headers['x-athos-request-id'];
const requestLine = (lines: Record<string, any>[], response: ApiResponse) =>
  lines.find((line) => line.message === 'request' && line.requestId === requestIdOf(response));
const metricLines = (lines: Record<string, any>[], response: ApiResponse) =>
  lines.filter((line) => line.message === 'metrics' && line.requestId === requestIdOf(response));

describe('a local run', () => {
  it('ends each request with one JSON line: level, message, both request ids, operation, tenant, cold start, status and duration', async () => {
    const { apiKey, tenant } = await createTestTenant(table);
    const mark = output.mark();

    const first = await api.mint(apiKey, { externalUserId: 'rep_1' });
    const second = await api.list(apiKey, { from: '2020-01-01T00:00:00Z' });
    const third = await api.mint(apiKey, { externalUserId: 'rep_2' });

    const lines = linesSince(mark);
    for (const [response, operation, coldStart] of [
      [first, 'mintSession', true],
      [second, 'listCalls', true],
      [third, 'mintSession', false],
    ] as const) {
      const line = requestLine(lines, response);
      expect(line).toEqual({
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        level: 'info',
        message: 'request',
        requestId: expect.stringMatching(/^req_/),
        awsRequestId: expect.any(String),
        operation,
        coldStart,
        tenantId: tenant.tenantId,
        status: 200,
        durationMs: expect.any(Number),
      });
    }
    expect(JSON.stringify(lines)).not.toContain(apiKey);
    expect(JSON.stringify(lines)).not.toContain(first.body.token);
  });

  it('counts each business event as EMF, by operation, and each refusal by its code', async () => {
    const { apiKey, tenant } = await createTestTenant(table, { monthlySessionQuota: 1 });
    const mark = output.mark();

    const minted = await api.mint(apiKey, { externalUserId: 'rep_1' });
    const refused = await api.mint(apiKey, { externalUserId: 'rep_2' });
    const redeemed = await api.redeem(minted.body.token, { drillKey: 'ma-full-sale', difficulty: 'Advanced' });
    const badCursor = await api.list(apiKey, { from: '2020-01-01T00:00:00Z', cursor: 'not-a-cursor' });

    expect([minted.status, refused.status, redeemed.status, badCursor.status]).toEqual([200, 403, 200, 400]);
    const lines = linesSince(mark);
    const metricsOf = (response: ApiResponse) =>
      metricLines(lines, response).map(({ _aws, operation, code, ...rest }) => ({
        directives: _aws.CloudWatchMetrics.map(({ Namespace, Dimensions, Metrics }: any) => ({
          Namespace,
          Dimensions,
          Metrics: Metrics.map((metric: { Name: string }) => metric.Name),
        })),
        operation,
        code,
        values: Object.fromEntries(Object.entries(rest).filter(([, value]) => typeof value === 'number')),
      }));
    const byOperation = [['operation']];
    const byCode = [['operation', 'code'], ['operation']];
    const namespace = 'AthosExternalApi/local';

    expect(metricsOf(minted)).toEqual([
      {
        directives: [{ Namespace: namespace, Dimensions: byOperation, Metrics: ['SessionsMinted'] }],
        operation: 'mintSession',
        code: undefined,
        values: { SessionsMinted: 1 },
      },
    ]);
    expect(metricsOf(refused)).toEqual([
      {
        directives: [{ Namespace: namespace, Dimensions: byCode, Metrics: ['RequestsRefused'] }],
        operation: 'mintSession',
        code: 'TENANT_QUOTA_EXCEEDED',
        values: { RequestsRefused: 1 },
      },
    ]);
    expect(metricsOf(redeemed)).toEqual([expect.objectContaining({ values: { SessionsRedeemed: 1 } })]);
    expect(metricsOf(badCursor)).toEqual([
      expect.objectContaining({ code: 'INVALID_REQUEST', values: { CursorsRejected: 1, RequestsRefused: 1 } }),
    ]);
    // The tenant is on the lines for the per-tenant queries, and in no metric dimension.
    for (const response of [minted, refused, redeemed, badCursor]) {
      expect(requestLine(lines, response)?.tenantId).toBe(tenant.tenantId);
      for (const line of metricLines(lines, response)) {
        expect(line._aws.CloudWatchMetrics.flatMap((directive: any) => directive.Dimensions.flat())).not.toContain(
          'tenantId',
        );
      }
    }
    expect(requestLine(lines, refused)).toMatchObject({ level: 'info', status: 403, code: 'TENANT_QUOTA_EXCEEDED' });
  });

  it('names the tenant of a refused key that matched, and no tenant for one that did not', async () => {
    const { apiKey, tenant } = await createTestTenant(table, { allowedCidrs: ['203.0.113.0/24'] });
    const mark = output.mark();

    const notAllowed = await api.mint(apiKey, { externalUserId: 'rep_1' });
    const unknown = await api.mint(`${apiKey.slice(0, -8)}AAAAAAAA`, { externalUserId: 'rep_1' });

    const lines = linesSince(mark);
    expect(requestLine(lines, notAllowed)).toMatchObject({ code: 'IP_NOT_ALLOWED', tenantId: tenant.tenantId });
    expect(requestLine(lines, unknown)).toMatchObject({ code: 'INVALID_API_KEY', status: 401 });
    expect(requestLine(lines, unknown)).not.toHaveProperty('tenantId');
  });
});

/** A stand-in for the X-Ray daemon Lambda runs beside a traced function. */
const startDaemon = async () => {
  const socket = createSocket('udp4');
  const documents: Record<string, any>[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (message) => {
    documents.push(JSON.parse(message.toString('utf8').split('\n')[1] ?? '{}'));
    wake?.();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    next: async () => {
      while (documents.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return documents.shift() as Record<string, any>;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};

/**
 * The mint handler as it is deployed: bundled with the stack's esbuild options, loaded by a fresh
 * Node process with the environment Lambda gives it (log level, trace header, X-Ray daemon), and
 * invoked with the event API Gateway sends. @returns what it wrote to stdout
 */
const invokeDeployedMint = async (apiKey: string, environment: Record<string, string>): Promise<string> => {
  const directory = mkdtempSync(join(tmpdir(), 'athos-lambda-'));
  const bundle = join(directory, 'mintSession.mjs');
  await build({
    ...handlerEsbuildOptions,
    entryPoints: [routes.mintSession.entry],
    outfile: bundle,
    logLevel: 'error',
  });
  const event = buildProxyEvent(
    {
      method: 'POST',
      url: new URL('http://localhost/session'),
      rawHeaders: ['Authorization', `Bearer ${apiKey}`, 'Content-Type', 'application/json'],
      sourceIp: '127.0.0.1',
      body: Buffer.from('{"externalUserId":"rep_1"}'),
      protocol: 'HTTP/1.1',
    },
    routes.mintSession,
    {},
    'gateway-request-1',
  );
  const runner = join(directory, 'invoke.mjs');
  writeFileSync(
    runner,
    `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const context = { awsRequestId: 'lambda-request-1', functionName: 'mintSession', getRemainingTimeInMillis: () => 9000 };
const result = await handler(${JSON.stringify(event)}, context);
if (result.statusCode !== 200) throw new Error('mint answered ' + result.statusCode);`,
  );
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [runner], { env: environment }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    ),
  );
};

describe('the deployed bundle', () => {
  it('prints the same lines as the local run, with the trace id, and traces its DynamoDB calls', async () => {
    const { apiKey, tenant } = await createTestTenant(table);
    const mark = output.mark();
    const local = await api.mint(apiKey, { externalUserId: 'rep_1' });
    const [localRequest, localMetrics] = [requestLine(linesSince(mark), local), metricLines(linesSince(mark), local)];
    const daemon = await startDaemon();
    const root = '1-66a0b1c2-0123456789abcdef01234567';

    const out = await invokeDeployedMint(apiKey, {
      PATH: process.env.PATH ?? '',
      AWS_LAMBDA_FUNCTION_NAME: 'mintSession',
      AWS_LAMBDA_LOG_LEVEL: 'INFO',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      _X_AMZN_TRACE_ID: `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1`,
      AWS_XRAY_DAEMON_ADDRESS: daemon.address,
      TABLE_NAME: testTableName,
      DYNAMODB_ENDPOINT: dynamoEndpoint(),
      SESSION_TOKEN_KEYS: testKeys.sessionToken,
    });
    const subsegment = await daemon.next();
    await daemon.close();

    const lines = out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, any>);
    const lambdaRequest = lines.find((line) => line.message === 'request');
    const lambdaMetrics = lines.filter((line) => line.message === 'metrics');
    expect(lines).toHaveLength(2);
    expect(Object.keys(lambdaRequest ?? {}).filter((key) => key !== 'traceId')).toEqual(
      Object.keys(localRequest ?? {}),
    );
    expect(lambdaRequest).toMatchObject({
      level: 'info',
      requestId: 'req_gateway-request-1',
      awsRequestId: 'lambda-request-1',
      traceId: root,
      operation: 'mintSession',
      coldStart: true,
      tenantId: tenant.tenantId,
      status: 200,
    });
    expect(
      lambdaMetrics.map(({ _aws, SessionsMinted }) => ({ metrics: _aws.CloudWatchMetrics, SessionsMinted })),
    ).toEqual(localMetrics.map(({ _aws, SessionsMinted }) => ({ metrics: _aws.CloudWatchMetrics, SessionsMinted })));
    expect(subsegment).toMatchObject({ name: 'DynamoDB', trace_id: root, parent_id: '53995c3f42cd8ad8' });
  }, 300_000);
});
