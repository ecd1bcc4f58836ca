import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import type { LocalApiSettings } from '../../local/app.js';

export interface LoadResult {
  readonly operation: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Connection errors, timeouts and non-2xx answers. */
  readonly errors: number;
}

/** Starts the API in its own process; resolves with its base URL and a stop function. */
export const startApiProcess = (settings: LocalApiSettings): Promise<{ url: string; stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/bench/apiServer.ts'], {
      env: {
        ...process.env,
        BENCH_API_SETTINGS: JSON.stringify(settings),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) =>
      resolve({ url: `http://127.0.0.1:${chunk.toString().trim()}`, stop: () => child.kill('SIGTERM') }),
    );
  });

/** autocannon: a fixed number of connections for a fixed time against one request. */
export const runLoad = async (
  url: string,
  operation: string,
  request: { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string },
  options: { connections: number; seconds: number },
): Promise<LoadResult> => {
  const result = await autocannon({
    url: `${url}${request.path}`,
    method: request.method,
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
    connections: options.connections,
    duration: options.seconds,
  });
  const latency = result.latency as unknown as { p50: number; p99: number };
  return {
    operation,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
};
