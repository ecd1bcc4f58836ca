import { Readable } from 'node:stream';
import { ReadableStream as BundledReadableStream } from '../../lambdas/lazyWebStreams.js';

describe('the bundles’ node:stream/web', () => {
  it('says a web ReadableStream is one, and nothing else is, as Middy asks of a streamed body', () => {
    expect(new ReadableStream() instanceof BundledReadableStream).toBe(true);
    expect(Readable.from(['text']) instanceof BundledReadableStream).toBe(false);
    expect(Object('text') instanceof BundledReadableStream).toBe(false);
    expect({ getReader: () => undefined } instanceof BundledReadableStream).toBe(false);
  });
});
