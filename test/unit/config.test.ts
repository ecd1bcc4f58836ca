import { readConfig } from '../../lambdas/config.js';

const base = { TABLE_NAME: 'athos', AWS_REGION: 'eu-west-1' };

describe('Lambda configuration', () => {
  it('reads the settings, with defaults', () => {
    expect(readConfig({ ...base, ALLOWED_ORIGINS: 'https://a.example, https://b.example' })).toEqual({
      tableName: 'athos',
      region: 'eu-west-1',
      tokenIssuer: 'athos-external-api',
      sessionTokenTtlSeconds: 300,
      connectionUrl: 'wss://voice.useathos.ai/v1/connect',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      simulatedCallSeconds: 60,
      simulatedModes: ['test'],
      webhookRetrySchedule: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      webhookOutboundPolicy: 'public',
      logLevel: 'info',
      metricsNamespace: 'AthosExternalApi/local',
    });
  });

  it("takes Lambda's application log level over LOG_LEVEL, in either spelling", () => {
    expect(readConfig({ ...base, LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(readConfig({ ...base, AWS_LAMBDA_LOG_LEVEL: 'ERROR', LOG_LEVEL: 'debug' }).logLevel).toBe('error');
    expect(readConfig({ ...base, AWS_LAMBDA_LOG_LEVEL: 'TRACE' }).logLevel).toBe('debug');
    expect(readConfig({ ...base, AWS_LAMBDA_LOG_LEVEL: 'FATAL' }).logLevel).toBe('error');
  });

  it('takes a shortened webhook retry schedule and the local outbound rules, refusing others', () => {
    expect(readConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: '1s,2s', WEBHOOK_OUTBOUND_POLICY: 'local' })).toMatchObject({
      webhookRetrySchedule: [1_000, 2_000],
      webhookOutboundPolicy: 'local',
    });
    expect(() => readConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: '1d' })).toThrow('WEBHOOK_RETRY_SCHEDULE');
    expect(() => readConfig({ ...base, WEBHOOK_OUTBOUND_POLICY: 'anything' })).toThrow('WEBHOOK_OUTBOUND_POLICY');
  });

  it('takes a DynamoDB Local endpoint and a token lifetime', () => {
    expect(
      readConfig({ ...base, DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', SESSION_TOKEN_TTL_SECONDS: '120' }),
    ).toMatchObject({
      dynamoEndpoint: 'http://127.0.0.1:8000',
      sessionTokenTtlSeconds: 120,
    });
  });

  it('takes a DynamoDB request timeout', () => {
    expect(readConfig({ ...base, DYNAMODB_TIMEOUT_MS: '3000' })).toMatchObject({
      dynamoTimeoutMs: 3000,
    });
  });

  it.each([
    [{ TABLE_NAME: '' }, 'TABLE_NAME'],
    [{ SESSION_TOKEN_TTL_SECONDS: '59' }, 'SESSION_TOKEN_TTL_SECONDS'],
    [{ SESSION_TOKEN_TTL_SECONDS: '901' }, 'SESSION_TOKEN_TTL_SECONDS'],
    [{ SESSION_TOKEN_TTL_SECONDS: '5m' }, 'SESSION_TOKEN_TTL_SECONDS'],
    [{ CONNECTION_URL: 'voice.example' }, 'CONNECTION_URL'],
    [{ CONNECTION_URL: 'ftp://voice.example' }, 'CONNECTION_URL'],
    [{ DYNAMODB_ENDPOINT: 'localhost:8000' }, 'DYNAMODB_ENDPOINT'],
    [{ DYNAMODB_TIMEOUT_MS: '50' }, 'DYNAMODB_TIMEOUT_MS'],
    [{ DYNAMODB_TIMEOUT_MS: '1.5s' }, 'DYNAMODB_TIMEOUT_MS'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ AWS_LAMBDA_LOG_LEVEL: 'loud' }, 'AWS_LAMBDA_LOG_LEVEL'],
    [{ METRICS_NAMESPACE: '' }, 'METRICS_NAMESPACE'],
  ])('refuses %j, naming the setting', (bad, name) => {
    expect(() => readConfig({ ...base, ...bad })).toThrow(`Invalid configuration: check ${name}`);
  });
});
