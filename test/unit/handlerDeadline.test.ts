import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createHandler } from '../../lambdas/http/createHandler.js';
import type { RequestContext } from '../../lambdas/http/middleware/types.js';
import { routes } from '../../lambdas/http/routes.js';

/** A Lambda context with this much time left, as Lambda gives one. */
const contextWith = (remainingMs: number): RequestContext => {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() } as RequestContext;
};

const event = {
  headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json' },
  body: '{}',
  isBase64Encoded: false,
  requestContext: { requestId: 'gateway-id', identity: { sourceIp: '192.0.2.1' } },
} as unknown as APIGatewayProxyEvent;

const never = () => new Promise<never>(() => undefined);
const settings = { allowedOrigins: ['*'], logLevel: 'silent', metricsNamespace: 'AthosExternalApi/test' } as const;

describe('the deadline before the Lambda timeout', () => {
  it('cuts off a hang during authentication with 503 SERVICE_UNAVAILABLE and Retry-After', async () => {
    const handler = createHandler(routes.mintSession, settings, {
      authenticate: never,
      parse: () => ({}),
      run: async () => ({}),
    });

    const response = await handler(event, contextWith(1_500));

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('2');
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', requestId: 'req_gateway-id' });
  });

  it('cuts off a hang inside the operation the same way, with CORS headers on the CORS route', async () => {
    const handler = createHandler(routes.redeemSession, settings, {
      authenticate: async () => ({}),
      parse: () => ({}),
      run: never,
    });

    const response = await handler(event, contextWith(1_500));

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });
});
