import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** What the chain adds to the Lambda context as a request passes through it. */
export interface RequestContext<Principal = unknown, Input = unknown> extends Context {
  requestId: string;
  principal: Principal;
  input: Input;
}

export type HttpMiddleware<Principal = unknown, Input = unknown> = MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  RequestContext<Principal, Input>
>;
