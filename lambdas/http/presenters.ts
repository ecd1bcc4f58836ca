import type { CallRecord, SlimCallRecord } from '../domain/records.js';

/** Records in the contract's response shapes: the public `id`, and null for what is not known. */

export const toSlimCall = (call: SlimCallRecord) => ({
  id: call.callId,
  source: call.source,
  externalUserId: call.externalUserId ?? null,
  externalAgencyId: call.externalAgencyId ?? null,
  drillKey: call.drillKey ?? null,
  startedAt: call.startedAt ?? null,
  endedAt: call.endedAt ?? null,
  durationSec: call.durationSec ?? 0,
  scoredAt: call.scoredAt ?? null,
});

export const toCallDetail = (call: CallRecord) => ({
  ...toSlimCall(call),
  status: 'scored' as const,
  transcript: call.transcript ?? [],
  score: call.score,
  // Reserved by the contract; roleplay has no recording until egress lands.
  audioUrl: null,
  audioUrlExpiresAt: null,
  waveform: null,
  createdAt: call.createdAt,
  updatedAt: call.updatedAt,
});
