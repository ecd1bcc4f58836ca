import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { requestsFor } from '../../local/apiRequests.js';
import { loadHandlers } from '../../local/app.js';
import { inProcessInvoker } from '../../local/invokeInProcess.js';
import { generateApiKey } from '../../lambdas/domain/apiKeys.js';
import { newTenantId } from '../../lambdas/domain/ids.js';
import { testKeys, testTableName } from '../support/testSettings.js';

/**
 * A DynamoDB endpoint whose connections are never accepted: a listener with a one-place backlog in
 * a process whose event loop is blocked, its backlog already full. The kernel then drops every new
 * connection attempt, so a connect hangs, as it does when the network path is down.
 */
let listener: ChildProcess;
const fillers: Socket[] = [];
let endpoint: string;

const blockedListener = `
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(String(server.address().port) + '\\n', () =>
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
});`;

beforeAll(async () => {
  listener = spawn(process.execPath, ['-e', blockedListener], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) =>
    listener.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  endpoint = `http://127.0.0.1:${port}`;
  // Fill the accept queue: the first connections complete, the kernel holds the rest.
  let connected = 0;
  await new Promise<void>((resolve) => {
    for (let i = 0; i < 4; i++) {
      const socket = connect(port, '127.0.0.1', () => {
        connected += 1;
        if (connected === 2) resolve();
      });
      socket.on('error', () => undefined);
      fillers.push(socket);
    }
  });
});
afterAll(() => {
  for (const socket of fillers) socket.destroy();
  listener.kill('SIGKILL');
});

describe('a DynamoDB that never accepts the connection', () => {
  it('makes mint answer 503 SERVICE_UNAVAILABLE with Retry-After, from the key lookup', async () => {
    const invoke = inProcessInvoker(
      // AWS's one-second connection timeout, not DynamoDB Local's patient one.
      await loadHandlers({
        dynamoEndpoint: endpoint,
        tableName: testTableName,
        keys: testKeys,
        dynamoTimeoutMs: 1_000,
      }),
    );
    // Well formed, so authentication must look it up: no table could be reached to know it.
    const apiKey = generateApiKey(newTenantId());

    const { result } = await invoke(requestsFor(apiKey).mint());

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('2');
    expect(JSON.parse(result.body).error.code).toBe('SERVICE_UNAVAILABLE');
  }, 60_000);
});
