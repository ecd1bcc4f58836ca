import { systemClock } from '../domain/ports.js';
import { apiKeyAuthenticator } from '../http/authenticators.js';
import { createHandler } from '../http/createHandler.js';
import { toCallDetail } from '../http/presenters.js';
import { routes } from '../http/routes.js';
import { getCall } from '../operations/getCall.js';
import { config, table } from '../runtime.js';
import { createAuthStore } from '../store/apiKeys.js';
import { createCallReader } from '../store/calls/reader.js';

const calls = createCallReader(table);

export const handler = createHandler(routes.getCall, config, {
  authenticate: apiKeyAuthenticator({ auth: createAuthStore(table), clock: systemClock }),
  parse: (event) => event.pathParameters?.callId ?? '',
  run: async ({ principal, input }) => toCallDetail(await getCall({ calls }, principal.tenant.tenantId, input)),
});
