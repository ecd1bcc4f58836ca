import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalApi, handlerEnvironment } from '../../local/app.js';
import { startBackOffice, startLocalCallEvents, type LocalCallEvents } from '../../local/callEvents.js';
import { routeList } from '../../lambdas/http/routes.js';
import { assertMatchesOpenApi, openApiDocument } from './openApiValidator.js';
import { testTable } from './fixtures.js';
import { dynamoEndpoint, testKeys, testLogLevel, testTableName } from './testSettings.js';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: any;
}

export interface RequestOptions {
  readonly headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json` unless headers say otherwise. */
  readonly json?: unknown;
  /** Sent as is. */
  readonly body?: string | Buffer;
  /** The caller's address (any of 127.0.0.0/8 works on Linux), for allowlist tests. */
  readonly localAddress?: string;
}

const routeOf = (method: string, path: string) =>
  routeList.find((route) => {
    if (route.method !== method) return false;
    const pattern = new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`);
    return pattern.test(path.split('?')[0] ?? '');
  });

/**
 * The real handlers behind the local gateway on a random port, and a client for it. Every JSON
 * response of an operation is checked against the OpenAPI document before a test sees it.
 */
export const startTestApi = async (
  options: {
    allowedOrigins?: readonly string[];
    host?: string;
    /** Also the call-events queue, its consumer and the simulator, as `npm start` runs them. */
    callEvents?: boolean;
  } = {},
) => {
  const settings = {
    dynamoEndpoint: dynamoEndpoint(),
    tableName: testTableName,
    keys: testKeys,
    logLevel: testLogLevel(),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  };
  let callEvents: LocalCallEvents | undefined;
  let stopBackOffice = async () => {};
  let wrapHandler: Parameters<typeof createLocalApi>[0]['wrapHandler'];
  if (options.callEvents) {
    callEvents = await startLocalCallEvents({ port: 0, simulatedCallSeconds: 0 });
    const backOffice = await startBackOffice(callEvents, {
      table: testTable(),
      simulator: true,
      environment: handlerEnvironment({ ...settings, environment: callEvents.environment }),
    });
    stopBackOffice = () => backOffice.stop();
    wrapHandler = backOffice.observeRedeems;
  }
  const server = await createLocalApi(
    {
      ...settings,
      ...(callEvents ? { environment: callEvents.environment } : {}),
      ...(wrapHandler ? { wrapHandler } : {}),
    },
    { openApiDocument },
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  const call = (method: string, path: string, requestOptions: RequestOptions = {}): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const payload =
        requestOptions.json !== undefined ? JSON.stringify(requestOptions.json) : (requestOptions.body ?? undefined);
      const headers: Record<string, string> = {
        ...(requestOptions.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...requestOptions.headers,
      };
      const outgoing = httpRequest(
        {
          host: requestOptions.localAddress?.includes(':') ? '::1' : '127.0.0.1',
          port,
          method,
          path,
          headers,
          agent: false,
          ...(requestOptions.localAddress ? { localAddress: requestOptions.localAddress } : {}),
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = incoming.statusCode ?? 0;
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: left as text for the test to judge
            }
            const route = routeOf(method, path);
            try {
              if (route && status !== 204) assertMatchesOpenApi(route.path, method, status, body);
            } catch (error) {
              reject(error as Error);
              return;
            }
            const responseHeaders: Record<string, string | undefined> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ status, headers: responseHeaders, body });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });

  const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });
  return {
    call,
    mint: (apiKey: string, json: unknown, options: RequestOptions = {}) =>
      call('POST', '/session', { ...options, json, headers: { ...bearer(apiKey), ...options.headers } }),
    redeem: (token: string, json: unknown, options: RequestOptions = {}) =>
      call('POST', '/roleplay/session', { ...options, json, headers: { ...bearer(token), ...options.headers } }),
    list: (apiKey: string, query: Record<string, string>, options: RequestOptions = {}) =>
      call('GET', `/calls?${new URLSearchParams(query).toString()}`, {
        ...options,
        headers: { ...bearer(apiKey), ...options.headers },
      }),
    get: (apiKey: string, callId: string, options: RequestOptions = {}) =>
      call('GET', `/calls/${encodeURIComponent(callId)}`, {
        ...options,
        headers: { ...bearer(apiKey), ...options.headers },
      }),
    baseUrl: `http://127.0.0.1:${port}`,
    callEvents,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopBackOffice();
      await callEvents?.close();
    },
  };
};

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
