import { randomBytes, randomInt } from 'node:crypto';
import { choosePersona, findDrill } from '../lambdas/domain/drills.js';
import { newCallId, newSessionId } from '../lambdas/domain/ids.js';
import { noMetrics, type CallStore, type Clock } from '../lambdas/domain/ports.js';
import type { CallRecord } from '../lambdas/domain/records.js';
import { liveTenantOf } from '../lambdas/domain/testMode.js';
import { completeCall } from '../lambdas/backoffice/completeCall.js';
import { createTenant, issueApiKey } from '../lambdas/backoffice/tenantAdministration.js';
import { createCallStore } from '../lambdas/store/callStore.js';
import type { Table } from '../lambdas/store/table.js';
import { createTenantStore } from '../lambdas/store/tenantStore.js';
import { sampleScore, sampleTranscript } from '../lambdas/backoffice/sampleCalls.js';

export interface ScoredCallSpec {
  readonly tenantId: string;
  /** An active key of the tenant: the one that minted the session, as redeem checks. */
  readonly keyId: string;
  readonly externalUserId: string;
  readonly externalAgencyId?: string | null;
  readonly endedAt: Date;
  readonly durationSec?: number;
}

/**
 * A call as it would be after a rep redeemed a session and the voice pipeline scored it: the same
 * store write as redeem, then the pipeline's `completeCall`.
 * @returns the call's public id
 */
export const createScoredCall = async (
  ports: { calls: CallStore; clock: Clock },
  spec: ScoredCallSpec,
): Promise<string> => {
  const drill = findDrill('ma-full-sale');
  if (!drill) throw new Error('the drill catalog lacks ma-full-sale');
  const persona = choosePersona(drill, 'Advanced');
  const durationSec = spec.durationSec ?? 180 + randomInt(900);
  const startedAt = new Date(spec.endedAt.getTime() - durationSec * 1000);
  const createdAt = new Date(startedAt.getTime() - 5_000).toISOString();
  const call: CallRecord = {
    callId: newCallId(),
    tenantId: spec.tenantId,
    sessionId: newSessionId(),
    source: 'roleplay',
    externalUserId: spec.externalUserId,
    externalAgencyId: spec.externalAgencyId ?? null,
    drillKey: drill.key,
    difficulty: 'Advanced',
    personaName: persona.name,
    status: 'redeemed',
    createdAt,
    updatedAt: createdAt,
  };
  const jti = randomBytes(18).toString('base64url');
  await ports.calls.createRedeemedCall(call, {
    jti,
    expiresAt: new Date(startedAt.getTime() + 300_000),
    mintedBy: { tenantId: liveTenantOf(spec.tenantId), keyId: spec.keyId },
  });
  await completeCall(
    { ...ports, metrics: noMetrics },
    {
      callId: call.callId,
      startedAt: startedAt.toISOString(),
      endedAt: spec.endedAt.toISOString(),
      transcript: sampleTranscript(persona.name),
      score: sampleScore(),
    },
  );
  return call.callId;
};

const demoReps = [
  { externalUserId: 'rep_8842', externalAgencyId: 'agency_chicago' },
  { externalUserId: 'rep_1207', externalAgencyId: 'agency_chicago' },
  { externalUserId: 'rep_5531', externalAgencyId: 'agency_austin' },
];

/**
 * The demo reseller of a fresh local run: an active tenant without quota or allowlist, one API key,
 * and a few scored calls of three reps over the past week.
 */
export const seedDemoTenant = async (table: Table, clock: Clock) => {
  const tenants = createTenantStore(table);
  const calls = createCallStore(table);
  const ports = { tenants, clock, actor: 'npm start (demo seed)' };
  const tenant = await createTenant(ports, { name: 'Demo Reseller' });
  const { apiKey, record } = await issueApiKey(ports, { tenantId: tenant.tenantId, label: 'demo' });
  const dayMs = 86_400_000;
  const callIds: string[] = [];
  for (let i = 0; i < 6; i++) {
    const rep = demoReps[i % demoReps.length] as (typeof demoReps)[number];
    const endedAt = new Date(clock.now().getTime() - (i + 1) * 0.9 * dayMs);
    callIds.push(
      await createScoredCall({ calls, clock }, { tenantId: tenant.tenantId, keyId: record.keyId, ...rep, endedAt }),
    );
  }
  return { tenantId: tenant.tenantId, apiKey, callId: callIds[0] as string };
};
