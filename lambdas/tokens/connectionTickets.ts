import { newTokenId } from '../domain/ids.js';
import type { Clock, ConnectionTickets } from '../domain/ports.js';
import type { KeySet } from './keySet.js';
import { ticketSigner } from './ticketKeys.js';

export const connectionTicketAudience = 'athos-voice';

/** The voice transport accepts a ticket for a minute: long enough to connect, too short to share. */
const ticketTtlSeconds = 60;

/**
 * Connection tickets: opaque to the SDK, verified by the voice transport with the published public
 * keys (docs/voice-transport.md). Their own key and audience keep a ticket from passing as a
 * session token or the other way round; the `jti` lets the transport accept each ticket once.
 */
export const createConnectionTickets = (keys: KeySet, issuer: string, clock: Clock): ConnectionTickets => {
  const sign = ticketSigner(keys);
  return {
    issue(subject) {
      const issuedAt = Math.floor(clock.now().getTime() / 1000);
      return sign({
        sub: subject.callId,
        sid: subject.sessionId,
        tid: subject.tenantId,
        drill: subject.drillKey,
        persona: subject.personaName,
        difficulty: subject.difficulty,
        iss: issuer,
        aud: connectionTicketAudience,
        iat: issuedAt,
        exp: issuedAt + ticketTtlSeconds,
        jti: newTokenId(),
      });
    },
  };
};
