import { SQSClient } from '@aws-sdk/client-sqs';
import { traceAwsCalls } from '../observability/tracing.js';

/**
 * One SQS client per process. Locally `endpoint` is the SQS-compatible endpoint `npm start` serves
 * (local/sqsEndpoint.ts); in AWS it is unset and each request goes where its queue URL points.
 * Each call is an X-Ray subsegment when the invocation is traced, and SQS carries the trace on.
 */
export const createSqsClient = ({ region, endpoint }: { region: string; endpoint?: string | undefined }): SQSClient =>
  traceAwsCalls(
    new SQSClient({
      region,
      maxAttempts: 3,
      requestHandler: { requestTimeout: 3_000, connectionTimeout: 1_000 },
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
