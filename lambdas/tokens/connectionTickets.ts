import { SignJWT } from 'jose';
import type { Clock } from '../domain/ports.js';
import { createHmacKeys } from './hmacKeys.js';
import type { KeySet } from './keySet.js';

export const connectionTicketAudience = 'athos-voice';

/** The voice transport accepts a ticket for a minute: long enough to connect, too short to share. */
const ticketTtlSeconds = 60;

export interface TicketSubject {
  readonly callId: string;
  readonly sessionId: string;
  readonly tenantId: string;
  readonly drillKey: string;
  readonly personaName: string;
  readonly difficulty: string;
}

/**
 * Connection tickets: opaque to the SDK, verified by the voice transport. Signed with their own key
 * and audience, so a ticket can never pass as a session token or the other way round.
 */
export const createConnectionTickets = (keys: KeySet, issuer: string, clock: Clock) => {
  const hmacKeys = createHmacKeys(keys);
  return {
    async issue(subject: TicketSubject): Promise<string> {
      const issuedAt = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT({
        sid: subject.sessionId,
        tid: subject.tenantId,
        drill: subject.drillKey,
        persona: subject.personaName,
        difficulty: subject.difficulty,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: keys.current.kid })
        .setSubject(subject.callId)
        .setIssuer(issuer)
        .setAudience(connectionTicketAudience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ticketTtlSeconds)
        .sign(await hmacKeys.current());
    },
  };
};

export type ConnectionTickets = ReturnType<typeof createConnectionTickets>;
