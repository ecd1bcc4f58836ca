import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Config } from '../config.js';
import { requestTimedOut } from '../domain/errors.js';
import { createLog } from '../log.js';
import { authentication } from './middleware/authentication.js';
import { cors } from './middleware/cors.js';
import { inputValidation } from './middleware/inputValidation.js';
import { responseEnvelope } from './middleware/responseEnvelope.js';
import type { HttpMiddleware, RequestContext } from './middleware/types.js';
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
 */
export const createHandler = <Principal, Input, Output>(
  route: Route,
  { allowedOrigins, logLevel }: Pick<Config, 'allowedOrigins' | 'logLevel'>,
  endpoint: Endpoint<Principal, Input, Output>,
) => {
  type Middleware = HttpMiddleware<Principal, Input>;
  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, RequestContext<Principal, Input>>({
    timeoutEarlyInMillis,
    timeoutEarlyResponse: () => {
      throw requestTimedOut();
    },
  });
  if (route.cors) chain.use(cors(allowedOrigins) as Middleware);
  return chain
    .use(responseEnvelope(route.operationId, createLog(logLevel)) as Middleware)
    .use(authentication(endpoint.authenticate) as Middleware)
    .use(inputValidation(endpoint.parse) as Middleware)
    .handler(async (_event, context) => ({
      statusCode: 200,
      body: JSON.stringify(await endpoint.run(context)),
    }));
};
