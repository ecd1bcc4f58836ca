import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the proxy received it. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** `performance.now()` at arrival. */
  readonly receivedAt: number;
}

/** What the proxy does with the n-th request (0-based). */
export type ProxyStep =
  /** Passes the request on to the API, with another path and query if given. */
  | { readonly forward: true; readonly path?: string }
  /** Answers by itself. */
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body: string }
  /** Never answers. */
  | { readonly hang: true };

/**
 * A proxy in front of the local API that does what its plan says with each request: pass it on,
 * answer in the API's place (a 503, a short page), or hold it forever. It records what it received.
 */
export const startFaultProxy = async (targetBaseUrl: string, plan: (request: SeenRequest, n: number) => ProxyStep) => {
  const target = new URL(targetBaseUrl);
  const seen: SeenRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const request: SeenRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      receivedAt: performance.now(),
    };
    const step = plan(request, seen.length);
    seen.push(request);
    if ('hang' in step) return;
    if ('status' in step) {
      outgoing.writeHead(step.status, { 'Content-Type': 'application/json', ...step.headers }).end(step.body);
      return;
    }
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: step.path ?? request.path,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;

/** An answer in the API's error envelope. */
export const errorAnswer = (status: number, code: string, headers: Record<string, string> = {}): ProxyStep => ({
  status,
  headers: { 'X-Athos-Request-Id': `req_proxy_${status}`, ...headers },
  body: JSON.stringify({ error: { code, message: `injected ${status}`, requestId: `req_proxy_${status}` } }),
});
