import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Config } from '../config.js';
import { requestTimedOut } from '../domain/errors.js';
import type { BusinessMetrics } from '../domain/ports.js';
import { cors } from './middleware/cors.js';
import { observability } from './middleware/observability.js';
import { responseEnvelope } from './middleware/responseEnvelope.js';
import type { RequestContext } from './middleware/types.js';
import type { Route } from './routes.js';

/**
 * What the logs need of a principal: the tenant it acts for, as an API caller's tenant or a
 * session's `tenantId`.
 */
export interface TenantBound {
  readonly tenant?: { readonly tenantId: string };
  readonly tenantId?: string;
}

export interface Endpoint<Principal extends TenantBound, Input, Output> {
  /** Who calls; throws an AthosError (401/403) otherwise. */
  authenticate(event: APIGatewayProxyEvent): Promise<Principal>;
  /** The operation's input from the request; throws INVALID_REQUEST otherwise. */
  parse(event: APIGatewayProxyEvent): Input;
  /** The operation, returning the 200 body; it counts its business events on `metrics`. */
  run(request: { principal: Principal; input: Input; requestId: string; metrics: BusinessMetrics }): Promise<Output>;
}

/**
 * Answer early enough before the Lambda timeout that the caller gets our 503 with a request id,
 * not API Gateway's bare 504.
 */
const timeoutEarlyInMillis = 1_000;

/**
 * Every handler is this chain, in this order: CORS (redeem only) → request id, logs and metrics →
 * error envelope → authentication → input validation → the operation. Auth runs before input
 * checks, so an unauthenticated caller learns nothing about what a valid request looks like.
 *
 * Authentication and validation run inside the handler, not as `before` steps: Middy's early
 * timeout races only the handler, and authentication reads DynamoDB and the signing keys, which
 * can hang as well as the operation can.
 */
export const createHandler = <Principal extends TenantBound, Input, Output>(
  route: Route,
  settings: Pick<Config, 'allowedOrigins' | 'logLevel' | 'metricsNamespace'>,
  endpoint: Endpoint<Principal, Input, Output>,
) => {
  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, RequestContext>({
    timeoutEarlyInMillis,
    timeoutEarlyResponse: () => {
      throw requestTimedOut();
    },
  });
  if (route.cors) chain.use(cors(settings.allowedOrigins));
  return chain
    .use(observability(route.operationId, settings))
    .use(responseEnvelope())
    .handler(async (event, context) => {
      const principal = await endpoint.authenticate(event);
      // Every later line of the request names the tenant: what the per-tenant queries group by.
      const tenantId = principal.tenant?.tenantId ?? principal.tenantId;
      if (tenantId !== undefined) {
        context.tenantId = tenantId;
        context.log = context.log.child({ tenantId });
      }
      const input = endpoint.parse(event);
      const output = await endpoint.run({ principal, input, requestId: context.requestId, metrics: context.metrics });
      return { statusCode: 200, body: JSON.stringify(output) };
    });
};
