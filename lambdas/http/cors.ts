/** The one CORS policy: the redeem handler's headers, and the gateway's preflight and own responses. */
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

export const corsHeadersFor = (
  allowedOrigins: readonly string[],
  origin: string | undefined,
): Record<string, string> => {
  const allowOrigin = allowOriginFor(allowedOrigins, origin);
  if (allowOrigin === undefined) return {};
  return {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Expose-Headers': corsPolicy.exposeHeaders.join(', '),
    ...(allowOrigin === '*' ? {} : { Vary: 'Origin' }),
  };
};

/**
 * The `Access-Control-Allow-Origin` API Gateway itself (preflight, its own error responses) can
 * send without reading the request: `*` when any origin is allowed, the origin when exactly one
 * is. Undefined when several are: a gateway mapping cannot look an origin up in a list, so it
 * takes the caller's (the Lambda's answer still grants only listed origins).
 */
export const fixedAllowOrigin = (allowedOrigins: readonly string[]): string | undefined => {
  if (allowedOrigins.includes('*')) return '*';
  return allowedOrigins.length === 1 ? allowedOrigins[0] : undefined;
};

/** The CORS headers of the gateway's own error responses, as the deployed gateway sends them. */
export const gatewayCorsHeadersFor = (
  allowedOrigins: readonly string[],
  origin: string | undefined,
): Record<string, string> => {
  const allowOrigin = fixedAllowOrigin(allowedOrigins) ?? origin;
  if (allowOrigin === undefined) return {};
  return {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Expose-Headers': corsPolicy.exposeHeaders.join(', '),
  };
};

/**
 * Preflight grants exactly what the redeem handler grants (the gateway's preflight can check a list
 * in its mapping template), plus the methods and headers a page may use.
 */
export const preflightHeadersFor = (
  allowedOrigins: readonly string[],
  origin: string | undefined,
): Record<string, string> => ({
  ...corsHeadersFor(allowedOrigins, origin),
  'Access-Control-Allow-Methods': corsPolicy.allowMethods.join(', '),
  'Access-Control-Allow-Headers': corsPolicy.allowHeaders.join(', '),
  'Access-Control-Max-Age': String(corsPolicy.maxAgeSeconds),
});
