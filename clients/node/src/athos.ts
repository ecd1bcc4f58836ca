import { CallPagePromise } from './callPages.js';
import { createTransport, type RequestOptions, type Send } from './transport.js';
import type { CallDetail, CreateSessionParams, ListCallsParams, ListCallsResponse, Session } from './types.js';
import { version } from './version.js';
import { verifyWebhook, type WebhookEvent, type WebhookHeaders } from './webhooks.js';

export interface AthosOptions {
  /** Your API key: `ath_live_…`, or `ath_test_…` for test mode. Keep it on your servers. */
  readonly apiKey: string;
  /** @default 'https://app.useathos.ai/api/external/v1' */
  readonly baseUrl?: string;
  /** Time allowed for each attempt of a request, answer included. @default 30000 */
  readonly timeoutMs?: number;
  /** Retries after a request's first attempt, for the failures its retry policy covers. @default 2 */
  readonly maxRetries?: number;
}

/** Which data a key reaches: live calls, or the test twin's simulated ones. */
export type AthosMode = 'live' | 'test';

const defaultBaseUrl = 'https://app.useathos.ai/api/external/v1';
const keyPrefixes: Record<string, AthosMode> = { ath_live_: 'live', ath_test_: 'test' };

/**
 * The Athos External API, from your backend.
 *
 * ```ts
 * const athos = new Athos({ apiKey: process.env.ATHOS_API_KEY! });
 * const { token } = await athos.sessions.create({ externalUserId: 'rep_8842' });
 * ```
 */
export class Athos {
  /** `'test'` for an `ath_test_` key, `'live'` for an `ath_live_` key. */
  readonly mode: AthosMode;
  readonly sessions: Sessions;
  readonly calls: Calls;
  readonly webhooks: Webhooks;

  constructor(options: AthosOptions) {
    this.mode = modeOf(options.apiKey);
    const send = createTransport({
      apiKey: options.apiKey,
      baseUrl: baseUrlOf(options.baseUrl ?? defaultBaseUrl),
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? 30_000),
      maxRetries: wholeNumber('maxRetries', options.maxRetries ?? 2),
      userAgent: `athos-node/${version} node/${process.version}`,
    });
    this.sessions = new Sessions(send);
    this.calls = new Calls(send);
    this.webhooks = new Webhooks();
  }
}

export class Sessions {
  readonly #send: Send;

  constructor(send: Send) {
    this.#send = send;
  }

  /**
   * Mints a single-use session token (about five minutes) for one of your reps; hand `token` to the
   * browser SDK. Each mint counts against your monthly session quota.
   *
   * Retried only after answers that say no token was issued (429, and 503 with `Retry-After`),
   * never after a timeout or a broken connection: the first request may have minted a token then,
   * and a silent second mint would count twice. Such failures are thrown
   * (`AthosTimeoutError`, `AthosConnectionError`); mint again if that is acceptable.
   */
  create(params: CreateSessionParams, options?: RequestOptions): Promise<Session> {
    return this.#send({ method: 'POST', path: '/session', body: params, retry: 'refusedOnly' }, options);
  }
}

export class Calls {
  readonly #send: Send;

  constructor(send: Send) {
    this.#send = send;
  }

  /**
   * Your scored calls, newest first. `await` it for one page (`data`, `nextCursor`), or walk every
   * call of every page with `for await (const call of athos.calls.list({ from }))`.
   */
  list(params: ListCallsParams, options?: RequestOptions): CallPagePromise {
    const { cursor, ...filters } = params;
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(filters)) {
      if (value !== undefined) query[name] = value instanceof Date ? value.toISOString() : String(value);
    }
    const fetchPage = (pageCursor: string | undefined) =>
      this.#send<ListCallsResponse>(
        {
          method: 'GET',
          path: '/calls',
          query: pageCursor === undefined ? query : { ...query, cursor: pageCursor },
          retry: 'repeatable',
        },
        options,
      );
    return new CallPagePromise(fetchPage, cursor);
  }

  /** One call with its transcript and score, by the `id` from the list, a webhook or the SDK. */
  async get(callId: string, options?: RequestOptions): Promise<CallDetail> {
    if (typeof callId !== 'string' || callId === '') throw new TypeError('callId must be a non-empty string');
    return this.#send({ method: 'GET', path: `/calls/${encodeURIComponent(callId)}`, retry: 'repeatable' }, options);
  }
}

export class Webhooks {
  /**
   * Verifies a webhook delivery and returns its event. Pass the body exactly as received.
   * @throws {AthosWebhookError} with `code` `INVALID_SIGNATURE`, `STALE_TIMESTAMP`, `INVALID_HEADERS`
   *   or `INVALID_PAYLOAD`: answer such a request with a 400 and do not act on it
   */
  verify(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string): WebhookEvent {
    return verifyWebhook(rawBody, headers, secret);
  }
}

const modeOf = (apiKey: unknown): AthosMode => {
  if (typeof apiKey === 'string') {
    for (const [prefix, mode] of Object.entries(keyPrefixes)) if (apiKey.startsWith(prefix)) return mode;
  }
  throw new TypeError('apiKey must be an Athos API key (ath_live_… or ath_test_…)');
};

const baseUrlOf = (baseUrl: string): string => {
  if (!URL.canParse(baseUrl)) throw new TypeError(`baseUrl is not a URL: ${baseUrl}`);
  return baseUrl.replace(/\/+$/, '');
};

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number`);
  return value;
};

const wholeNumber = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a whole number, 0 or more`);
  return value;
};
