/**
 * What the bundles get for `node:stream/web` (the alias is in lib/handlerBundling.ts). Its one
 * importer is Middy's core, for streamed responses, which no function here uses; loading web
 * streams would cost every cold start ~4 ms. Middy only asks whether a response body is an
 * `instanceof ReadableStream`: this class answers with the real one, loaded when first asked.
 */
export class ReadableStream {
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof process.getBuiltinModule('node:stream/web').ReadableStream;
  }
}
