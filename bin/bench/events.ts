import type { APIGatewayProxyEvent } from 'aws-lambda';
import { routeList } from '../../lambdas/http/routes.js';
import { buildProxyEvent, matchPath } from '../../local/gateway.js';
import type { InProcessRequest } from '../../local/invokeInProcess.js';

/**
 * The event API Gateway would hand the request's Lambda, built ahead of time: what the runtime
 * does before a handler runs is not the handler's cost.
 */
export const proxyEventFor = (request: InProcessRequest): { operationId: string; event: APIGatewayProxyEvent } => {
  const url = new URL(request.path, 'http://localhost');
  for (const route of routeList) {
    const parameters = route.method === request.method ? matchPath(route.path, url.pathname) : undefined;
    if (!parameters) continue;
    const event = buildProxyEvent(
      {
        method: request.method,
        url,
        rawHeaders: (request.headers ?? []).flat(),
        sourceIp: '127.0.0.1',
        body: Buffer.from(request.body ?? ''),
        protocol: 'HTTP/1.1',
      },
      route,
      parameters,
      `bench-${Math.random().toString(36).slice(2)}`,
    );
    return { operationId: route.operationId, event };
  }
  throw new Error(`no route for ${request.method} ${url.pathname}`);
};
