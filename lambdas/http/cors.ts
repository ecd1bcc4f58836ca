/** The one CORS policy, shared by the redeem handler, the gateway's own responses and preflight. */
export const corsPolicy = {
  allowMethods: ['POST', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['X-Athos-Request-Id'],
  maxAgeSeconds: 600,
} as const;

/**
 * The `Access-Control-Allow-Origin` value for a request, or undefined when the origin is not
 * allowed (the browser then keeps the response from the page).
 * @param allowedOrigins exact origins, or `['*']` for any
 */
export const allowOriginFor = (allowedOrigins: readonly string[], origin: string | undefined): string | undefined => {
  if (allowedOrigins.includes('*')) return '*';
  return origin !== undefined && allowedOrigins.includes(origin) ? origin : undefined;
};

export const corsHeadersFor = (allowedOrigins: readonly string[], origin: string | undefined): Record<string, string> => {
  const allowOrigin = allowOriginFor(allowedOrigins, origin);
  if (allowOrigin === undefined) return {};
  return {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Expose-Headers': corsPolicy.exposeHeaders.join(', '),
    ...(allowOrigin === '*' ? {} : { Vary: 'Origin' }),
  };
};

export const preflightHeadersFor = (allowedOrigins: readonly string[], origin: string | undefined): Record<string, string> => {
  const headers = corsHeadersFor(allowedOrigins, origin);
  if (Object.keys(headers).length === 0) return {};
  return {
    ...headers,
    'Access-Control-Allow-Methods': corsPolicy.allowMethods.join(', '),
    'Access-Control-Allow-Headers': corsPolicy.allowHeaders.join(', '),
    'Access-Control-Max-Age': String(corsPolicy.maxAgeSeconds),
  };
};
