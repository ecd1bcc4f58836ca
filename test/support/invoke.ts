import { randomUUID } from 'node:crypto';
import { loadHandlers } from '../../bin/local/app.js';
import { buildProxyEvent, lambdaContext, matchPath, type LoadedRoute } from '../../bin/local/gateway.js';
import { assertMatchesOpenApi } from './openApiValidator.js';
import { dynamoEndpoint, testKeys, testTableName } from './testSettings.js';

export interface InvokeRequest {
  readonly method: string;
  /** Path and query string, as a client would send them. */
  readonly path: string;
  /** Name/value pairs, repeats allowed. */
  readonly headers?: readonly [string, string][];
  readonly body?: string;
  readonly sourceIp?: string;
}

/**
 * The handlers called in-process with the event the gateway builds, for tests that send thousands
 * of requests. Every answer is checked against the OpenAPI document, like the HTTP tests.
 */
export const loadTestHandlers = async () => {
  const routes = await loadHandlers({ dynamoEndpoint: dynamoEndpoint(), tableName: testTableName, keys: testKeys });
  return async (request: InvokeRequest) => {
    const url = new URL(request.path, 'http://localhost');
    const match = routes
      .map((loaded: LoadedRoute) => ({ loaded, parameters: matchPath(loaded.route.path, url.pathname) }))
      .find(({ loaded, parameters }) => parameters !== undefined && loaded.route.method === request.method);
    if (!match?.parameters) throw new Error(`no route for ${request.method} ${url.pathname}`);
    const requestId = randomUUID();
    const event = buildProxyEvent(
      {
        method: request.method,
        url,
        rawHeaders: (request.headers ?? []).flat(),
        sourceIp: request.sourceIp ?? '127.0.0.1',
        body: Buffer.from(request.body ?? '', 'utf8'),
        protocol: 'HTTP/1.1',
      },
      match.loaded.route,
      match.parameters,
      requestId,
    );
    const result = await match.loaded.handler(event, lambdaContext(requestId));
    const body = JSON.parse(result.body) as unknown;
    assertMatchesOpenApi(match.loaded.route.path, request.method, result.statusCode, body);
    return { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string>, body: body as any };
  };
};

export type Invoke = Awaited<ReturnType<typeof loadTestHandlers>>;
