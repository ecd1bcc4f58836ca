import type { Clock, ConnectionTickets } from '../domain/ports.js';
import { signHs256 } from './hs256.js';
import type { KeySet } from './keySet.js';

export const connectionTicketAudience = 'athos-voice';

/** The voice transport accepts a ticket for a minute: long enough to connect, too short to share. */
const ticketTtlSeconds = 60;

/**
 * Connection tickets: opaque to the SDK, verified by the voice transport. Signed with their own key
 * and audience, so a ticket can never pass as a session token or the other way round.
 */
export const createConnectionTickets = (keys: KeySet, issuer: string, clock: Clock): ConnectionTickets => ({
  issue(subject) {
    const issuedAt = Math.floor(clock.now().getTime() / 1000);
    return signHs256(keys, {
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
    });
  },
});
