import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { AthosWebhookError } from './errors.js';
import type { webhooks } from './generated/openapi.js';

/** The event types the OpenAPI document's `webhooks` section names. */
export type WebhookEventType = keyof webhooks;

/** The body the OpenAPI document gives an event of `type`. */
type ContractEvent<T extends WebhookEventType> = NonNullable<
  webhooks[T]['post']['requestBody']
>['content']['application/json'];

/** What every call event says about its call. */
export type CallEventData = Readonly<ContractEvent<WebhookEventType>['data']>;

/** The call has ended; its score is not known yet. */
export type CallEndedEvent = Readonly<Omit<ContractEvent<'call.ended'>, 'type' | 'data'>> & {
  readonly type: 'call.ended';
  readonly data: CallEventData;
};

/**
 * The call is scored: `calls.get(data.callId)` now returns its transcript and full score. The
 * contract's description promises `scoredAt` and `overallScore` here, which its schema, shared
 * with `call.ended`, cannot say.
 */
export type CallScoredEvent = Readonly<Omit<ContractEvent<'call.scored'>, 'type' | 'data'>> & {
  readonly type: 'call.scored';
  readonly data: CallEventData & { readonly scoredAt: string; readonly overallScore: number };
};

export type WebhookEvent = CallEndedEvent | CallScoredEvent;

/**
 * A request's headers: Node's `req.headers` (any case of name), or a fetch `Headers` object.
 */
export type WebhookHeaders =
  Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

/** Standard Webhooks' window, in seconds either side of now, within which a delivery is accepted. */
const toleranceSeconds = 5 * 60;

/**
 * Checks that a delivery was signed with the endpoint's secret (Standard Webhooks, `v1` HMAC-SHA256)
 * less than five minutes ago, and returns its event.
 *
 * @param rawBody the request body exactly as received: verify before any JSON parsing
 * @param secret the endpoint's signing secret (`whsec_…`)
 * @throws {AthosWebhookError} for anything that must not be trusted
 */
export const verifyWebhook = (rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string): WebhookEvent => {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new TypeError('rawBody must be the request body as received (a string or Buffer), not parsed JSON');
  }
  const id = headerOf(headers, 'webhook-id');
  const timestamp = headerOf(headers, 'webhook-timestamp');
  const signature = headerOf(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new AthosWebhookError('INVALID_HEADERS', 'webhook-id, webhook-timestamp and webhook-signature are required');
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new AthosWebhookError('INVALID_HEADERS', 'webhook-timestamp must be whole seconds since the epoch');
  }
  const sentAt = Number(timestamp);
  if (!isFresh(sentAt)) throw staleTimestamp();

  const payload = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  try {
    signer(secret).verify(
      payload,
      { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      { jsonParse: false },
    );
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    // The only other thing the library refuses here is the timestamp, if a second passed since.
    if (!isFresh(sentAt)) throw staleTimestamp();
    throw new AthosWebhookError('INVALID_SIGNATURE', 'No signature matches this body and secret');
  }
  return eventOf(payload);
};

const signer = (secret: string): Webhook => {
  try {
    return new Webhook(secret);
  } catch {
    throw new TypeError("secret must be the endpoint's signing secret, as shown when it was created (whsec_…)");
  }
};

const headerOf = (headers: WebhookHeaders, name: string): string | undefined => {
  if (typeof headers.get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  for (const [key, value] of Object.entries(
    headers as Readonly<Record<string, string | readonly string[] | undefined>>,
  )) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.join(' ');
  }
  return undefined;
};

const isFresh = (sentAtSeconds: number): boolean =>
  Math.abs(Math.floor(Date.now() / 1000) - sentAtSeconds) <= toleranceSeconds;

const staleTimestamp = () =>
  new AthosWebhookError('STALE_TIMESTAMP', 'webhook-timestamp is more than five minutes away from now');

const eventOf = (payload: string): WebhookEvent => {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    throw new AthosWebhookError('INVALID_PAYLOAD', 'The body is not JSON');
  }
  const { type, data } = (event ?? {}) as { type?: unknown; data?: { callId?: unknown } | null };
  if (typeof type !== 'string' || typeof data?.callId !== 'string') {
    throw new AthosWebhookError('INVALID_PAYLOAD', 'The body is not an Athos event');
  }
  return event as WebhookEvent;
};
