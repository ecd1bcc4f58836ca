import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  readonly region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  readonly endpoint?: string;
  /**
   * How long one attempt may wait for its answer before it fails and is retried.
   * @default 1,500 ms in AWS; 10 s for DynamoDB Local, which a busy machine can slow to seconds
   */
  readonly requestTimeoutMs?: number;
}

/**
 * Both timeouts fail the attempt: `throwOnRequestTimeout` is what makes the request timeout real
 * (without it the handler only logs a warning and keeps waiting). With three attempts a request
 * gives up in about 5 s in AWS, inside the handler's deadline, so the caller gets our 503.
 */
const awsRequestTimeoutMs = 1_500;
const localRequestTimeoutMs = 10_000;
const connectionTimeoutMs = 1_000;

/** One client per process: made at module load by each handler, reused across invocations. */
export const createDocumentClient = ({
  region,
  endpoint,
  requestTimeoutMs,
}: DynamoConnection): DynamoDBDocumentClient => {
  const client = new DynamoDBClient({
    region,
    maxAttempts: 3,
    requestHandler: {
      requestTimeout: requestTimeoutMs ?? (endpoint ? localRequestTimeoutMs : awsRequestTimeoutMs),
      throwOnRequestTimeout: true,
      connectionTimeout: connectionTimeoutMs,
    },
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
};
