import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { buildProxyEvent, lambdaContext, matchPath, type LoadedRoute } from './gateway.js';

export interface InProcessRequest {
  readonly method: string;
  /** Path and query string, as a client would send them. */
  readonly path: string;
  /** Name/value pairs, repeats allowed. */
  readonly headers?: readonly [string, string][];
  readonly body?: string;
  readonly sourceIp?: string;
}

/**
 * Calls the handlers in-process with the event the local gateway would build, skipping HTTP: for
 * tests and benchmarks that send thousands of requests.
 */
export const inProcessInvoker =
  (routes: readonly LoadedRoute[]) =>
  async (request: InProcessRequest): Promise<{ route: LoadedRoute['route']; result: APIGatewayProxyResult }> => {
    const url = new URL(request.path, 'http://localhost');
    const match = routes
      .map((loaded) => ({ loaded, parameters: matchPath(loaded.route.path, url.pathname) }))
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
    return { route: match.loaded.route, result: await match.loaded.handler(event, lambdaContext(requestId)) };
  };
