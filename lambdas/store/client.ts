import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { serviceUnavailable } from '../domain/errors.js';
import { traceAwsCalls } from '../observability/tracing.js';
import { isRetryableAwsFault } from './awsFaults.js';

export interface DynamoConnection {
  readonly region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  readonly endpoint?: string;
  /**
   * How long one attempt may take to connect, and then to be answered, before it fails and is
   * retried (tests that stall DynamoDB on purpose set it).
   * @default 1 s to connect and 1.5 s to answer in AWS; 10 s and 30 s against DynamoDB Local
   */
  readonly timeoutMs?: number;
}

/**
 * In AWS, timeouts are short on purpose: with three attempts a request gives up in about 5 s, well
 * inside the handler's deadline, so the caller gets our 503 rather than API Gateway's. DynamoDB
 * Local on a busy laptop or CI machine answers in seconds rather than milliseconds: there a slow
 * answer is load, not a fault, so a local endpoint is given patient timeouts.
 */
const timeouts = {
  aws: { requestTimeout: 1_500, connectionTimeout: 1_000 },
  local: { requestTimeout: 30_000, connectionTimeout: 10_000 },
};

/** What the repositories use of the DynamoDB document client. */
export interface DocumentClient {
  readonly send: DynamoDBDocumentClient['send'];
  destroy(): void;
}

/**
 * One client per process: made at module load by each handler, reused across invocations; each
 * call is an X-Ray subsegment when the invocation is traced. A fault
 * that means "try again" leaves it as SERVICE_UNAVAILABLE, so every repository answers AWS's faults
 * alike and nothing above the store needs to know what an AWS error looks like.
 */
export const createDocumentClient = ({ region, endpoint, timeoutMs }: DynamoConnection): DocumentClient => {
  const client = new DynamoDBClient({
    region,
    maxAttempts: 3,
    requestHandler: {
      ...(endpoint ? timeouts.local : timeouts.aws),
      ...(timeoutMs ? { requestTimeout: timeoutMs, connectionTimeout: timeoutMs } : {}),
      // Without it, the pinned @smithy/node-http-handler only logs that the request timeout passed
      // and goes on waiting.
      throwOnRequestTimeout: true,
    },
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  traceAwsCalls(client);
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const send = async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
    try {
      return await documents.send(command);
    } catch (error) {
      throw isRetryableAwsFault(error) ? serviceUnavailable(error) : error;
    }
  };
  return { send: send as DynamoDBDocumentClient['send'], destroy: () => documents.destroy() };
};
