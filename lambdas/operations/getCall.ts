import { AthosError } from '../domain/errors.js';
import { callIdPattern } from '../domain/ids.js';
import type { CallReader } from '../domain/ports.js';
import type { CallRecord } from '../domain/records.js';

/**
 * One scored call of the tenant. Another tenant's call, an unscored one, a missing one and an id
 * that cannot be a call id all answer the same CALL_NOT_FOUND: existence never leaks.
 */
export const getCall = async (
  { calls }: { calls: CallReader },
  tenantId: string,
  callId: string,
): Promise<CallRecord> => {
  const notFound = () => new AthosError('CALL_NOT_FOUND', 'Call not found');
  if (!callIdPattern.test(callId)) throw notFound();
  const call = await calls.findCallOfTenant(callId, tenantId);
  // The store already answers only the tenant's own call; the check stays where isolation is decided.
  if (!call || call.tenantId !== tenantId || call.status !== 'scored') throw notFound();
  return call;
};
