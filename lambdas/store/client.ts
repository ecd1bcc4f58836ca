import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  readonly region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  readonly endpoint?: string;
}

/**
 * Timeouts are short on purpose: with three attempts a request still answers well inside the
 * Lambda timeout, so the caller gets our 503 rather than API Gateway's.
 */
const requestTimeoutMs = 1_500;
const connectionTimeoutMs = 1_000;

/** One client per process: made at module load by each handler, reused across invocations. */
export const createDocumentClient = ({ region, endpoint }: DynamoConnection): DynamoDBDocumentClient => {
  const client = new DynamoDBClient({
    region,
    maxAttempts: 3,
    requestHandler: { requestTimeout: requestTimeoutMs, connectionTimeout: connectionTimeoutMs },
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
};
