import { AthosConnectionError, AthosError, AthosTimeoutError, errorFromAnswer } from './errors.js';
import { retryDelayMs, type RetryPolicy } from './retryPolicy.js';

export interface TransportSettings {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly userAgent: string;
}

/** Per-call overrides of the client's settings. */
export interface RequestOptions {
  /** Aborts the call, including any wait between retries; the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  /** Time allowed for each attempt, answer body included. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt; 0 turns retrying off. */
  readonly maxRetries?: number;
}

export interface ApiRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly retry: RetryPolicy;
}

/** Sends one API request, retried as its policy allows, and returns the parsed success body. */
export type Send = <T>(request: ApiRequest, options?: RequestOptions) => Promise<T>;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export const createTransport = (settings: TransportSettings): Send => {
  const headers = {
    Authorization: `Bearer ${settings.apiKey}`,
    Accept: 'application/json',
    'User-Agent': settings.userAgent,
  };

  return async <T>(request: ApiRequest, options: RequestOptions = {}): Promise<T> => {
    const url = new URL(settings.baseUrl + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const init: RequestInit = {
      method: request.method,
      headers: request.body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    };
    const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
    const maxRetries = options.maxRetries ?? settings.maxRetries;

    for (let attempt = 0; ; attempt++) {
      let failure: AthosError | AthosConnectionError;
      let delayMs: number | undefined;
      try {
        const answer = await attemptOnce(url, init, timeoutMs, options.signal);
        if (answer.status >= 200 && answer.status < 300) return successBody(answer) as T;
        failure = errorFromAnswer(answer.status, parseJson(answer.text), requestIdOf(answer));
        delayMs = retryDelayMs(
          request.retry,
          { answered: true, status: answer.status, retryAfter: answer.headers.get('retry-after') },
          attempt,
        );
      } catch (error) {
        if (!(error instanceof AthosConnectionError)) throw error;
        failure = error;
        delayMs = retryDelayMs(request.retry, { answered: false }, attempt);
      }
      if (delayMs === undefined || attempt >= maxRetries) throw failure;
      await sleep(delayMs, options.signal);
    }
  };
};

const attemptOnce = async (
  url: URL,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Answer> => {
  signal?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    // Reading the body is inside the deadline too: a server can stall after the headers.
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    if (timedOut) throw new AthosTimeoutError(timeoutMs);
    if (signal?.aborted) throw signal.reason;
    throw new AthosConnectionError(`Could not reach the Athos API at ${url.origin}: ${reasonOf(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
};

/** fetch reports every network failure as "fetch failed"; the useful part is in its cause. */
const reasonOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
};

const requestIdOf = (answer: Answer): string | undefined => answer.headers.get('x-athos-request-id') ?? undefined;

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

const successBody = (answer: Answer): unknown => {
  const body = parseJson(answer.text);
  if (body === undefined) {
    throw new AthosError({
      status: answer.status,
      code: 'INTERNAL_ERROR',
      message: `Unexpected answer: HTTP ${answer.status} without a JSON body`,
      requestId: requestIdOf(answer),
    });
  }
  return body;
};

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
