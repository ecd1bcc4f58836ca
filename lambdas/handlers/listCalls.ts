import { systemClock } from '../domain/ports.js';
import { apiKeyAuthenticator } from '../http/authenticators.js';
import { createHandler } from '../http/createHandler.js';
import { toSlimCall } from '../http/presenters.js';
import { singleQueryParameters } from '../http/request.js';
import { routes } from '../http/routes.js';
import { parseWith } from '../http/validation.js';
import { cached, keySetMaxAgeMs } from '../cached.js';
import { listCallsRequest } from '../domain/requests/listCalls.js';
import { listCalls } from '../operations/listCalls.js';
import { config, table } from '../runtime.js';
import { createAuthStore } from '../store/apiKeys.js';
import { createCallLister } from '../store/calls/lister.js';
import { createCursorCodec } from '../tokens/cursors.js';
import { loadKeySet } from '../tokens/loadKeySet.js';

const calls = createCallLister(table);
const cursors = cached(keySetMaxAgeMs, async () => createCursorCodec(await loadKeySet('cursor')));

export const handler = createHandler(routes.listCalls, config, {
  authenticate: apiKeyAuthenticator({ auth: createAuthStore(table), clock: systemClock }),
  parse: (event) => parseWith(listCallsRequest, singleQueryParameters(event)),
  run: async ({ principal, input, metrics }) => {
    const { page, nextCursor } = await listCalls(
      { calls, cursors: await cursors(), metrics },
      principal.tenant.tenantId,
      input,
    );
    return { data: page.calls.map(toSlimCall), nextCursor };
  },
});
