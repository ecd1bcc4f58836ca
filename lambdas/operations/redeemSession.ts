import { choosePersona, findDrill } from '../domain/drills.js';
import { AthosError, apiKeyRevoked, tenantInactive } from '../domain/errors.js';
import { newCallId, newSessionId } from '../domain/ids.js';
import type { SessionClaims } from '../domain/callers.js';
import type { BusinessMetrics, CallRedemptions, Clock, ConnectionTickets } from '../domain/ports.js';
import type { CallRecord } from '../domain/records.js';
import { isTestTwin, liveTenantOf } from '../domain/testMode.js';
import type { RedeemSessionRequest } from '../domain/requests/redeemSession.js';

export interface RedeemSessionPorts {
  readonly calls: CallRedemptions;
  readonly tickets: ConnectionTickets;
  readonly clock: Clock;
  readonly connectionUrl: string;
  readonly metrics: BusinessMetrics;
}

const refusals = {
  'already-used': () => new AthosError('TOKEN_ALREADY_USED', 'Session token has already been used'),
  'key-revoked': apiKeyRevoked,
  'tenant-inactive': tenantInactive,
};

/**
 * Starts the live roleplay a session token was minted for, once.
 * 1. Resolve the drill (unknown: DRILL_NOT_FOUND, and the token stays unused) and pick a persona.
 * 2. Mark the token used and create the call in one transaction, which also checks that the
 *    tenant is active and the minting key valid: exactly one redeem wins, and a token never
 *    outlives its tenant or its key (answered as mint would answer).
 * 3. Issue the voice transport's connection ticket for that call.
 */
export const redeemSession = async (
  { calls, tickets, clock, connectionUrl, metrics }: RedeemSessionPorts,
  session: SessionClaims,
  request: RedeemSessionRequest,
) => {
  const drill = findDrill(request.drillKey);
  if (!drill) throw new AthosError('DRILL_NOT_FOUND', 'drillKey does not name a known drill');
  const persona = choosePersona(drill, request.difficulty, request.filters?.state);

  const now = clock.now().toISOString();
  const call: CallRecord = {
    callId: newCallId(),
    tenantId: session.tenantId,
    sessionId: newSessionId(),
    source: 'roleplay',
    externalUserId: session.externalUserId,
    externalAgencyId: session.externalAgencyId,
    drillKey: drill.key,
    difficulty: request.difficulty,
    personaName: persona.name,
    status: 'redeemed',
    // Marks the item for the simulator's stream filter; a live call's item is as it always was.
    ...(isTestTwin(session.tenantId) ? { mode: 'test' as const } : {}),
    createdAt: now,
    updatedAt: now,
  };
  const outcome = await calls.createRedeemedCall(call, {
    jti: session.jti,
    expiresAt: session.expiresAt,
    mintedBy: { tenantId: liveTenantOf(session.tenantId), keyId: session.keyId },
  });
  if (outcome !== 'created') throw refusals[outcome](session.tenantId);

  const connectionTicket = tickets.issue({
    callId: call.callId,
    sessionId: call.sessionId,
    tenantId: call.tenantId,
    drillKey: call.drillKey,
    personaName: call.personaName,
    difficulty: call.difficulty,
  });
  metrics.sessionRedeemed();
  return {
    connectionTicket,
    connectionUrl,
    sessionId: call.sessionId,
    callId: call.callId,
    persona: { name: persona.name },
  };
};
