import { systemClock } from '../domain/ports.js';
import { apiKeyAuthenticator } from '../http/authenticators.js';
import { createHandler } from '../http/createHandler.js';
import { jsonObjectBody } from '../http/request.js';
import { routes } from '../http/routes.js';
import { parseWith } from '../http/validation.js';
import { cached, keySetMaxAgeMs } from '../cached.js';
import { mintSessionRequest } from '../domain/requests/mintSession.js';
import { throttledKeyUsage } from '../operations/keyUsage.js';
import { mintSession } from '../operations/mintSession.js';
import { config, table } from '../runtime.js';
import { createAuthStore, createKeyUsageStore } from '../store/apiKeys.js';
import { createQuotaStore } from '../store/quota.js';
import { loadKeySet } from '../tokens/loadKeySet.js';
import { createSessionTokenSigner } from '../tokens/sessionTokenSigner.js';

const quota = createQuotaStore(table);
const keyUsage = throttledKeyUsage(createKeyUsageStore(table), systemClock);
const sessionTokens = cached(keySetMaxAgeMs, async () =>
  createSessionTokenSigner(
    await loadKeySet('sessionToken'),
    { issuer: config.tokenIssuer, ttlSeconds: config.sessionTokenTtlSeconds },
    systemClock,
  ),
);

export const handler = createHandler(routes.mintSession, config, {
  authenticate: apiKeyAuthenticator({ auth: createAuthStore(table), clock: systemClock }),
  parse: (event) => parseWith(mintSessionRequest, jsonObjectBody(event)),
  run: async ({ principal, input, metrics }) =>
    mintSession({ quota, keyUsage, tokens: await sessionTokens(), clock: systemClock, metrics }, principal, input),
});
