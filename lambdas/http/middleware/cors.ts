import { corsHeadersFor } from '../cors.js';
import { header } from '../request.js';
import type { HttpMiddleware } from './types.js';

/**
 * CORS headers on every response of the route, errors included: a page cannot read an error whose
 * response lacks them. Used first, so its `after` and `onError` run last, over the final response.
 */
export const cors = (allowedOrigins: readonly string[]): HttpMiddleware => {
  const addHeaders: HttpMiddleware['after'] = (request) => {
    if (!request.response) return;
    const headers = corsHeadersFor(allowedOrigins, header(request.event, 'origin'));
    request.response = { ...request.response, headers: { ...request.response.headers, ...headers } };
  };
  return { after: addHeaders, onError: addHeaders };
};
