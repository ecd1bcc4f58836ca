import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { gatewayCorsHeadersFor, preflightHeadersFor } from '../lambdas/http/cors.js';
import {
  gatewayErrorBody,
  gatewayErrorHeaders,
  gatewayErrors,
  type GatewayErrorType,
} from '../lambdas/http/gatewayResponses.js';
import type { Route } from '../lambdas/http/routes.js';

/**
 * API Gateway (REST, proxy integration) on a laptop: routes by the route table, builds the event
 * the real gateway would, and answers what the real gateway answers by itself (unknown routes,
 * oversized payloads, preflight on the CORS route only) in the same envelope.
 */

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface LoadedRoute {
  readonly route: Route;
  readonly handler: ProxyHandler;
}

export interface GatewayOptions {
  readonly routes: readonly LoadedRoute[];
  readonly allowedOrigins: readonly string[];
  /** Served at GET /openapi.json. */
  readonly openApiDocument?: unknown;
  /** Served at GET /.well-known/jwks.json: the public keys that verify connection tickets. */
  readonly connectionTicketJwks?: unknown;
  /** Called once per request, after the response is sent. */
  readonly onRequest?: (summary: {
    method: string;
    path: string;
    status: number;
    requestId: string;
    ms: number;
  }) => void;
}

/** Where the local run publishes the connection tickets' public keys (AWS: `athos-admin signing-keys jwks`). */
export const connectionTicketJwksPath = '/.well-known/jwks.json';

/** API Gateway's own cap on a request payload. */
const maxPayloadBytes = 10 * 1024 * 1024;
/** What the stack gives each function (`lib/`); the local handlers get the same deadline. */
const lambdaTimeoutMs = 10_000;

/**
 * How long an idle client connection stays open: longer than the 60 s a load balancer or a client
 * pool keeps one, so a pooled connection is never closed by us just as a client reuses it (Node's
 * default, 5 s, made busy clients fail with "fetch failed"). The header timeout must exceed it, or
 * a request arriving on an old connection could be cut before its headers are read.
 */
const keepAliveTimeoutMs = 65_000;
const headersTimeoutMs = keepAliveTimeoutMs + 1_000;

export const createGateway = (options: GatewayOptions): Server => {
  const server = createServer((request, response) => {
    const started = performance.now();
    const requestId = randomUUID();
    void serve(options, request, response, requestId)
      .catch(() => {
        // Whatever failed, the client gets an answer rather than a hung connection.
        const corsHeaders = gatewayCorsHeadersFor(options.allowedOrigins, headerValue(request, 'origin'));
        if (!response.headersSent) sendGatewayError(response, 'DEFAULT_5XX', requestId, corsHeaders);
        else response.end();
      })
      .finally(() =>
        options.onRequest?.({
          method: request.method ?? '',
          path: request.url ?? '',
          status: response.statusCode,
          // Whatever id the client was given: the Lambda's `req_…`, or the gateway's bare one.
          requestId: String(response.getHeader('X-Athos-Request-Id') ?? requestId),
          ms: Math.round(performance.now() - started),
        }),
      );
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = headersTimeoutMs;
  return server;
};

const serve = async (
  options: GatewayOptions,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = (request.method ?? 'GET').toUpperCase();
  const origin = headerValue(request, 'origin');

  const onPath = options.routes
    .map((loaded) => ({ loaded, pathParameters: matchPath(loaded.route.path, url.pathname) }))
    .filter((candidate) => candidate.pathParameters !== undefined);
  // Gateway responses are API-wide, so they carry CORS headers on every path; that lets the SDK
  // read a 429 or 413 from the redeem route, and shows a page elsewhere only an error envelope.
  const corsHeaders = gatewayCorsHeadersFor(options.allowedOrigins, origin);
  const gatewayError = (type: GatewayErrorType) => sendGatewayError(response, type, requestId, corsHeaders);

  const body = await readBody(request);
  if (body === undefined) return gatewayError('REQUEST_TOO_LARGE');

  if (method === 'GET' && url.pathname === '/openapi.json' && options.openApiDocument) {
    return send(response, 200, { 'Content-Type': 'application/json' }, JSON.stringify(options.openApiDocument));
  }
  if (method === 'GET' && url.pathname === connectionTicketJwksPath && options.connectionTicketJwks) {
    return send(response, 200, { 'Content-Type': 'application/json' }, JSON.stringify(options.connectionTicketJwks));
  }

  if (method === 'OPTIONS' && onPath.some(({ loaded }) => loaded.route.cors)) {
    return send(
      response,
      204,
      { ...preflightHeadersFor(options.allowedOrigins, origin), 'X-Athos-Request-Id': requestId },
      '',
    );
  }

  const match = onPath.find(({ loaded }) => loaded.route.method === method);
  if (!match?.pathParameters) return gatewayError('MISSING_AUTHENTICATION_TOKEN');

  const facts: RequestFacts = {
    method,
    url,
    rawHeaders: request.rawHeaders,
    // The gateway reports IPv4 callers as IPv4, not as the IPv4-mapped IPv6 a dual-stack socket sees.
    sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.)/, ''),
    body,
    protocol: `HTTP/${request.httpVersion}`,
  };
  const event = buildProxyEvent(facts, match.loaded.route, match.pathParameters, requestId);
  try {
    const result = await match.loaded.handler(event, lambdaContext(requestId));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
    const payload = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    return send(response, result.statusCode, headers, payload);
  } catch {
    // A Lambda that throws past its own error handling: the gateway answers 5XX by itself.
    return gatewayError('DEFAULT_5XX');
  }
};

/** The path parameters of `path` under a route template, or undefined when it does not match. */
export const matchPath = (template: string, path: string): Record<string, string> | undefined => {
  const want = template.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = have[i] ?? '';
    const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (parameter) {
      try {
        parameters[parameter] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return parameters;
};

/** What the gateway knows of a request before it picks a route. */
export interface RequestFacts {
  readonly method: string;
  readonly url: URL;
  /** Name, value, name, value… as received. */
  readonly rawHeaders: readonly string[];
  readonly sourceIp: string;
  readonly body: Buffer;
  readonly protocol: string;
}

/** The REST API proxy event API Gateway would send the route's Lambda for this request. */
export const buildProxyEvent = (
  facts: RequestFacts,
  route: Route,
  pathParameters: Record<string, string>,
  requestId: string,
): APIGatewayProxyEvent => {
  // Without a prototype: a client may send a header or parameter named __proto__.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const multiValueHeaders: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (let i = 0; i < facts.rawHeaders.length; i += 2) {
    const name = facts.rawHeaders[i] as string;
    const value = facts.rawHeaders[i + 1] as string;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  const multiQuery: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of facts.url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  return {
    resource: route.path,
    path: facts.url.pathname,
    httpMethod: facts.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    // As the deployed API passes every body (binary media type */*): the client's bytes, unjudged.
    body: facts.body.length > 0 ? facts.body.toString('base64') : null,
    isBase64Encoded: facts.body.length > 0,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: facts.protocol,
      httpMethod: facts.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: facts.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: facts.url.pathname,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: route.operationId,
      resourcePath: route.path,
    },
  };
};

export const lambdaContext = (requestId: string): Context => {
  const deadline = Date.now() + lambdaTimeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:local',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/** @returns the body, or undefined when it is over the gateway's cap (the rest is discarded) */
const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxPayloadBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxPayloadBytes ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const headerValue = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const sendGatewayError = (
  response: ServerResponse,
  type: GatewayErrorType,
  requestId: string,
  corsHeaders: Record<string, string>,
) => {
  const error = gatewayErrors[type];
  send(
    response,
    error.statusCode,
    {
      ...corsHeaders,
      ...gatewayErrorHeaders(error),
      'Content-Type': 'application/json',
      'X-Athos-Request-Id': requestId,
    },
    gatewayErrorBody(error, requestId),
  );
};

const send = (response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) => {
  response.writeHead(status, headers);
  response.end(body);
};
