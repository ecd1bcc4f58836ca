import { systemClock } from '../domain/ports.js';
import { sessionTokenAuthenticator } from '../http/authenticators.js';
import { createHandler } from '../http/createHandler.js';
import { jsonObjectBody } from '../http/request.js';
import { routes } from '../http/routes.js';
import { parseWith } from '../http/validation.js';
import { cached, keySetMaxAgeMs } from '../cached.js';
import { redeemSessionRequest } from '../domain/requests/redeemSession.js';
import { redeemSession } from '../operations/redeemSession.js';
import { config, table } from '../runtime.js';
import { createCallRedemptions } from '../store/calls/redemptions.js';
import { createConnectionTickets } from '../tokens/connectionTickets.js';
import { loadKeySet } from '../tokens/loadKeySet.js';
import { createSessionTokenVerifier } from '../tokens/sessionTokenVerifier.js';

const calls = createCallRedemptions(table);
const sessionTokens = cached(keySetMaxAgeMs, async () =>
  createSessionTokenVerifier(
    await loadKeySet('sessionToken'),
    { issuer: config.tokenIssuer, ttlSeconds: config.sessionTokenTtlSeconds },
    systemClock,
  ),
);
const tickets = cached(keySetMaxAgeMs, async () =>
  createConnectionTickets(await loadKeySet('connectionTicket'), config.tokenIssuer, systemClock),
);

export const handler = createHandler(routes.redeemSession, config, {
  authenticate: sessionTokenAuthenticator(sessionTokens),
  parse: (event) => parseWith(redeemSessionRequest, jsonObjectBody(event)),
  run: async ({ principal, input, metrics }) =>
    redeemSession(
      { calls, tickets: await tickets(), clock: systemClock, connectionUrl: config.connectionUrl, metrics },
      principal,
      input,
    ),
});
