import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Timeouts that fail the attempt (without `throwOnRequestTimeout` the pinned HTTP handler only
 * warns and goes on waiting), so a stalled send is retried and then reported as a failed record
 * for SQS or the stream to deliver again. The local endpoint answers from a busy laptop's event
 * loop: there a slow answer is load, not a fault, as for DynamoDB Local (store/client.ts).
 */
const timeouts = {
  aws: { requestTimeout: 3_000, connectionTimeout: 1_000 },
  local: { requestTimeout: 30_000, connectionTimeout: 10_000 },
};

/**
 * One SQS client per process. Locally `endpoint` is the SQS-compatible endpoint `npm start` serves
 * (local/sqsEndpoint.ts); in AWS it is unset and each request goes where its queue URL points.
 */
export const createSqsClient = ({ region, endpoint }: { region: string; endpoint?: string | undefined }): SQSClient =>
  new SQSClient({
    region,
    maxAttempts: 3,
    requestHandler: { ...(endpoint ? timeouts.local : timeouts.aws), throwOnRequestTimeout: true },
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
