import type { ListCallsResponse, SlimCall } from './types.js';

/** Reads the page that starts at `cursor` (the first page when undefined), with the list's filters. */
export type FetchCallPage = (cursor: string | undefined) => Promise<ListCallsResponse>;

/**
 * One page of calls. Iterating it with `for await` yields its calls and then every later page's,
 * fetching them as it goes.
 */
export class CallPage implements AsyncIterable<SlimCall> {
  readonly data: SlimCall[];
  /** The cursor of the next page, or null on the last one. */
  readonly nextCursor: string | null;
  readonly #fetchPage: FetchCallPage;

  constructor(response: ListCallsResponse, fetchPage: FetchCallPage) {
    this.data = response.data;
    this.nextCursor = response.nextCursor;
    this.#fetchPage = fetchPage;
  }

  /** The next page, or null when this is the last one. */
  async getNextPage(): Promise<CallPage | null> {
    if (this.nextCursor === null) return null;
    return new CallPage(await this.#fetchPage(this.nextCursor), this.#fetchPage);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SlimCall> {
    // A page may be short, even empty, and still have a next one: only the cursor says when to stop.
    for (let page: CallPage | null = this; page !== null; page = await page.getNextPage()) {
      yield* page.data;
    }
  }
}

/**
 * What `calls.list` returns: `await` it for the first page, or `for await` over it for every call
 * of every page. Nothing is requested until one or the other begins.
 */
export class CallPagePromise implements Promise<CallPage>, AsyncIterable<SlimCall> {
  readonly [Symbol.toStringTag] = 'CallPagePromise';
  readonly #fetchPage: FetchCallPage;
  readonly #firstCursor: string | undefined;
  #firstPage: Promise<CallPage> | undefined;

  constructor(fetchPage: FetchCallPage, firstCursor: string | undefined) {
    this.#fetchPage = fetchPage;
    this.#firstCursor = firstCursor;
  }

  #first(): Promise<CallPage> {
    this.#firstPage ??= this.#fetchPage(this.#firstCursor).then((response) => new CallPage(response, this.#fetchPage));
    return this.#firstPage;
  }

  then<TResult1 = CallPage, TResult2 = never>(
    onfulfilled?: ((page: CallPage) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#first().then(onfulfilled, onrejected);
  }

  catch<TResult = never>(
    onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<CallPage | TResult> {
    return this.#first().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<CallPage> {
    return this.#first().finally(onfinally);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SlimCall> {
    yield* await this.#first();
  }
}
