export { Athos, Calls, Sessions, Webhooks, type AthosMode, type AthosOptions } from './athos.js';
export { CallPage, CallPagePromise } from './callPages.js';
export {
  AthosConnectionError,
  AthosError,
  AthosTimeoutError,
  AthosWebhookError,
  type WebhookErrorCode,
} from './errors.js';
export type { RequestOptions } from './transport.js';
export type {
  CallDetail,
  CallSource,
  CreateSessionParams,
  ErrorCode,
  ListCallsParams,
  Score,
  Session,
  SlimCall,
} from './types.js';
export {
  verifyWebhook,
  type CallEndedEvent,
  type CallEventData,
  type CallScoredEvent,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookHeaders,
} from './webhooks.js';
