import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { MetricsRecorder } from '../../observability/emf.js';
import type { Logger } from '../../observability/log.js';

/** What the chain adds to the Lambda context as a request passes through it. */
export interface RequestContext extends Context {
  requestId: string;
  /** Bound to this request's ids, and to its tenant once known. */
  log: Logger;
  /** This request's business metrics, written when it ends. */
  metrics: MetricsRecorder;
  /** The tenant the caller acts for, once authenticated. */
  tenantId?: string;
}

export type HttpMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, RequestContext>;
