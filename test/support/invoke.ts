import { loadHandlers } from '../../local/app.js';
import { inProcessInvoker, type InProcessRequest } from '../../local/invokeInProcess.js';
import { assertMatchesOpenApi } from './openApiValidator.js';
import { dynamoEndpoint, testKeys, testLogLevel, testTableName } from './testSettings.js';

/**
 * The handlers called in-process, for tests that send thousands of requests. Every answer is
 * checked against the OpenAPI document, like the HTTP tests.
 */
export const loadTestHandlers = async () => {
  const invoke = inProcessInvoker(
    await loadHandlers({
      dynamoEndpoint: dynamoEndpoint(),
      tableName: testTableName,
      keys: testKeys,
      logLevel: testLogLevel(),
    }),
  );
  return async (request: InProcessRequest) => {
    const { route, result } = await invoke(request);
    const body = JSON.parse(result.body) as unknown;
    assertMatchesOpenApi(route.path, request.method, result.statusCode, body);
    return { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string>, body: body as any };
  };
};

export type Invoke = Awaited<ReturnType<typeof loadTestHandlers>>;
