import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { HttpMiddleware } from './types.js';

/** Parses and checks the request's input; it owns only its own failures (400 INVALID_REQUEST). */
export const inputValidation = <Input>(
  parse: (event: APIGatewayProxyEvent) => Input,
): HttpMiddleware<unknown, Input> => ({
  before: (request) => {
    request.context.input = parse(request.event);
  },
});
