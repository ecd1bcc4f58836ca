import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadKeySet } from '../../lambdas/tokens/loadKeySet.js';

const keySet = { kid: 'k1', key: 'k'.repeat(40) };
let server: Server;
let port: number;
const seen: { url?: string; token?: string }[] = [];

beforeAll(async () => {
  // Stands in for the Parameters and Secrets Lambda Extension.
  server = createServer((request, response) => {
    seen.push({ url: request.url, token: request.headers['x-aws-parameters-secrets-token'] as string });
    // Accepts the request and never answers, like an extension that is stuck.
    if (request.headers['x-aws-parameters-secrets-token'] === 'hang') return;
    if (request.headers['x-aws-parameters-secrets-token'] === 'fail-503') {
      response.writeHead(503).end();
      return;
    }
    if (request.headers['x-aws-parameters-secrets-token'] !== 'session-token') {
      response.writeHead(401).end();
      return;
    }
    response
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ SecretString: JSON.stringify(keySet) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:athos/session-AbCdEf';

describe('loading a key set', () => {
  it('reads the secret through the Lambda extension, authenticated with the session token', async () => {
    const keys = await loadKeySet('sessionToken', {
      SESSION_TOKEN_SECRET_ARN: arn,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
      AWS_SESSION_TOKEN: 'session-token',
    });

    expect(keys.current.kid).toBe('k1');
    expect(seen.at(-1)?.url).toBe(`/secretsmanager/get?secretId=${encodeURIComponent(arn)}`);
  });

  it('fails without naming the key when the extension refuses', async () => {
    const loading = loadKeySet('cursor', {
      CURSOR_SECRET_ARN: arn,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
      AWS_SESSION_TOKEN: 'wrong',
    });
    await expect(loading).rejects.toThrow('the secrets extension answered 401');
  });

  it('is a retryable SERVICE_UNAVAILABLE when the extension cannot be reached', async () => {
    const loading = loadKeySet('cursor', {
      CURSOR_SECRET_ARN: arn,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '9',
      AWS_SESSION_TOKEN: 'session-token',
    });
    await expect(loading).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('is a retryable SERVICE_UNAVAILABLE when the extension answers 5xx', async () => {
    const loading = loadKeySet('cursor', {
      CURSOR_SECRET_ARN: arn,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
      AWS_SESSION_TOKEN: 'fail-503',
    });
    await expect(loading).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('is a retryable SERVICE_UNAVAILABLE when the extension never answers', async () => {
    const loading = loadKeySet('cursor', {
      CURSOR_SECRET_ARN: arn,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
      AWS_SESSION_TOKEN: 'hang',
    });
    await expect(loading).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  }, 20_000);

  it('prefers a key set given inline (local runs)', async () => {
    const keys = await loadKeySet('cursor', { CURSOR_KEYS: JSON.stringify(keySet), CURSOR_SECRET_ARN: arn });
    expect(keys.current.kid).toBe('k1');
  });

  it('names the missing setting', async () => {
    await expect(loadKeySet('connectionTicket', {})).rejects.toThrow(
      'Invalid configuration: set CONNECTION_TICKET_SECRET_ARN',
    );
  });

  it('names a malformed inline set without echoing it', async () => {
    const loading = loadKeySet('cursor', { CURSOR_KEYS: '{"kid":"k1","key":"short-secret"}' });
    await expect(loading).rejects.toThrow('CURSOR_KEYS is not a key set');
    await expect(loading).rejects.not.toThrow('short-secret');
  });
});
