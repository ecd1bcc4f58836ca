import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { percentile } from './stats.js';

export interface LoadSample {
  /** Answers within the load's time, over that time. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Connection errors, timeouts and non-2xx answers. */
  readonly errors: number;
}

/** One stretch of load on one server, its latencies kept so the stretches of a round pool. */
export interface LoadStretch {
  readonly seconds: number;
  /** Of every answer received within the stretch's time. */
  readonly latenciesMs: number[];
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

/**
 * autocannon: a fixed number of connections for a fixed time against one request. What counts is
 * what is answered within that time, timed here: autocannon's own req/s is a mean over whole
 * seconds, which for a run of 1.5 s is the first second and a half-empty one (0.75× the rate).
 */
export const runLoad = async (
  url: string,
  target: LoadTarget,
  options: { connections: number; seconds: number },
): Promise<LoadStretch> => {
  const { freshAuthorization } = target;
  const latenciesMs: number[] = [];
  const endsAt = performance.now() + options.seconds * 1000;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    // autocannon ends a run at the first sample tick after its time is up: at 100 ms rather than
    // its default second, a run takes the time asked of it.
    sampleInt: 100,
    setupClient: (client) =>
      client.on('response', (_status: number, _bytes: number, latencyMs: number) => {
        if (performance.now() <= endsAt) latenciesMs.push(latencyMs);
      }),
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
  return { seconds: options.seconds, latenciesMs, errors: result.errors + result.timeouts + result.non2xx };
};

/** Stretches of one server as one sample: the rate over their summed time, percentiles over all their answers. */
export const pooledLoad = (stretches: readonly LoadStretch[]): LoadSample => {
  const latencies = stretches.flatMap((stretch) => stretch.latenciesMs).sort((a, b) => a - b);
  const seconds = stretches.reduce((sum, stretch) => sum + stretch.seconds, 0);
  return {
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requests: latencies.length,
    errors: stretches.reduce((sum, stretch) => sum + stretch.errors, 0),
  };
};
