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
 * What API Gateway's own error responses can put in
 * `Access-Control-Allow-Origin`: a mapping cannot look an origin up in a list. So: `*` when any
 * origin is allowed, the origin when one is, and the caller's own origin when several are (the
 * Lambda's answer still grants only listed origins, so a page elsewhere reads no data).
 */
export type GatewayAllowOrigin =
  { readonly kind: 'any' } | { readonly kind: 'fixed'; readonly origin: string } | { readonly kind: 'reflect' };

export const gatewayAllowOrigin = (allowedOrigins: readonly string[]): GatewayAllowOrigin => {
  if (allowedOrigins.includes('*')) return { kind: 'any' };
  const [only, ...others] = allowedOrigins;
  return only !== undefined && others.length === 0 ? { kind: 'fixed', origin: only } : { kind: 'reflect' };
};

/** The gateway's CORS headers for a request, as the deployed gateway computes them. */
export const gatewayCorsHeadersFor = (
  allowedOrigins: readonly string[],
  origin: string | undefined,
): Record<string, string> => {
  const policy = gatewayAllowOrigin(allowedOrigins);
  const allowOrigin = policy.kind === 'any' ? '*' : policy.kind === 'fixed' ? policy.origin : origin;
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
