import { fork } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadSample {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Connection errors, timeouts and non-2xx answers. */
  readonly errors: number;
}

export interface LoadTarget {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** A fresh Authorization header per request (redeem: a token is good once). */
  readonly freshAuthorization?: () => string;
}

/**
 * A server script (bin/bench/apiServer.ts or referenceServer.ts) in its own process, so the load
 * generator shares no event loop with it; its stdout (the handlers' logs) goes nowhere.
 */
export const startServer = (script: string, env: Record<string, string>): Promise<{ url: string; stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    child.once('message', (port) =>
      resolve({ url: `http://127.0.0.1:${String(port)}`, stop: () => child.kill('SIGTERM') }),
    );
  });

/** autocannon: a fixed number of connections for a fixed time against one request. */
export const runLoad = async (
  url: string,
  target: LoadTarget,
  options: { connections: number; seconds: number },
): Promise<LoadSample> => {
  const { freshAuthorization } = target;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: target.method,
        path: target.path,
        headers: target.headers,
        ...(target.body ? { body: target.body } : {}),
        ...(freshAuthorization
          ? {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...request.headers, authorization: freshAuthorization() },
              }),
            }
          : {}),
      },
    ],
  });
  const latency = result.latency as unknown as { p50: number; p99: number };
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
};
