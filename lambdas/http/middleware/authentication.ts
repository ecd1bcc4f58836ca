import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { HttpMiddleware } from './types.js';

/**
 * Establishes who calls, or throws: never an early return, which would skip the envelope and CORS.
 * The principal (a tenant, or a session's claims) is put on the context for the operation.
 */
export const authentication = <Principal>(
  authenticate: (event: APIGatewayProxyEvent) => Promise<Principal>,
): HttpMiddleware<Principal> => ({
  before: async (request) => {
    request.context.principal = await authenticate(request.event);
  },
});
