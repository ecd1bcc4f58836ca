import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  readonly region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  readonly endpoint?: string;
}

/**
 * In AWS, timeouts are short on purpose: with three attempts a request still answers well inside
 * the Lambda timeout, so the caller gets our 503 rather than API Gateway's. DynamoDB Local on a
 * busy laptop or CI machine answers in seconds rather than milliseconds: there a slow answer is
 * load, not a fault, so a local endpoint is given patient timeouts.
 */
const timeouts = {
  aws: { requestTimeout: 1_500, connectionTimeout: 1_000 },
  local: { requestTimeout: 30_000, connectionTimeout: 10_000 },
};

/** One client per process: made at module load by each handler, reused across invocations. */
export const createDocumentClient = ({ region, endpoint }: DynamoConnection): DynamoDBDocumentClient => {
  const client = new DynamoDBClient({
    region,
    maxAttempts: 3,
    requestHandler: endpoint ? timeouts.local : timeouts.aws,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
};
