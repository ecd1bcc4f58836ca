import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Config } from '../config.js';
import { requestTimedOut } from '../domain/errors.js';
import { createLog } from '../log.js';
import { cors } from './middleware/cors.js';
import { responseEnvelope } from './middleware/responseEnvelope.js';
import type { RequestContext } from './middleware/types.js';
import type { Route } from './routes.js';

export interface Endpoint<Principal, Input, Output> {
  /** Who calls; throws an AthosError (401/403) otherwise. */
  authenticate(event: APIGatewayProxyEvent): Promise<Principal>;
  /** The operation's input from the request; throws INVALID_REQUEST otherwise. */
  parse(event: APIGatewayProxyEvent): Input;
  /** The operation, returning the 200 body. */
  run(request: { principal: Principal; input: Input; requestId: string }): Promise<Output>;
}

/**
 * Answer early enough before the Lambda timeout that the caller gets our 503 with a request id,
 * not API Gateway's bare 504.
 */
const timeoutEarlyInMillis = 1_000;

/**
 * Every handler is this chain, in this order: CORS (redeem only) → request id and error envelope →
 * authentication → input validation → the operation. Auth runs before input checks, so an
 * unauthenticated caller learns nothing about what a valid request looks like.
 *
 * Authentication and validation run inside the handler, not as `before` steps: Middy's early
 * timeout races only the handler, and authentication reads DynamoDB and the signing keys, which
 * can hang as well as the operation can.
 */
export const createHandler = <Principal, Input, Output>(
  route: Route,
  { allowedOrigins, logLevel }: Pick<Config, 'allowedOrigins' | 'logLevel'>,
  endpoint: Endpoint<Principal, Input, Output>,
) => {
  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, RequestContext>({
    timeoutEarlyInMillis,
    timeoutEarlyResponse: () => {
      throw requestTimedOut();
    },
  });
  if (route.cors) chain.use(cors(allowedOrigins));
  return chain.use(responseEnvelope(route.operationId, createLog(logLevel))).handler(async (event, context) => {
    const principal = await endpoint.authenticate(event);
    const input = endpoint.parse(event);
    const output = await endpoint.run({ principal, input, requestId: context.requestId });
    return { statusCode: 200, body: JSON.stringify(output) };
  });
};
