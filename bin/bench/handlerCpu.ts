import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { InProcessRequest } from '../local/invokeInProcess.js';

type Invoke = (request: InProcessRequest) => Promise<{ result: APIGatewayProxyResult }>;

/**
 * CPU a handler spends per request, without I/O: DynamoDB's real answers (captured earlier) are
 * replayed at once, and `iterations` requests run back to back after a warm-up. Counts the whole
 * process's CPU time, so work Node hands to other threads (WebCrypto HMAC) is included.
 * @returns microseconds of CPU per request
 */
export const measureHandlerCpu = async (
  invoke: Invoke,
  request: () => InProcessRequest,
  answers: Map<string, Record<string, unknown>>,
  iterations: number,
): Promise<number> => {
  const prototype = DynamoDBDocumentClient.prototype as unknown as { send: (command: object) => Promise<unknown> };
  const original = prototype.send;
  prototype.send = async (command) => answers.get(command.constructor.name) ?? {};
  try {
    const run = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const { result } = await invoke(request());
        if (result.statusCode !== 200) throw new Error(`replayed request answered ${result.statusCode}: ${result.body}`);
      }
    };
    await run(Math.ceil(iterations / 10));
    const before = process.cpuUsage();
    await run(iterations);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / iterations;
  } finally {
    prototype.send = original;
  }
};
