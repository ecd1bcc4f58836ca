import { noMetrics, systemClock } from '../../lambdas/domain/ports.js';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { parseScoredCallReport } from '../../lambdas/domain/records.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { createRedeemedCall, createTestTenant, itemsOfTenant, testTable } from '../support/fixtures.js';

const table = testTable();
const ports = { calls: createCallStore(table), clock: systemClock, metrics: noMetrics };
/** The step as the back office runs it: the report is checked where it arrives, then recorded. */
const complete = async (report: unknown) => completeCall(ports, parseScoredCallReport(report));

const report = (callId: string) => ({
  callId,
  startedAt: '2026-06-05T18:00:00Z',
  endedAt: '2026-06-05T18:07:30Z',
  transcript: [
    { role: 'agent', content: 'Hi, this is Sam.', startMs: 0 },
    { role: 'prospect', content: 'Hello?' },
  ],
  score: { overallScore: 82, summary: 'Good rapport.', feedback: 'Slow down.', compliance: { passed: true } },
});

describe('completeCall (the scoring pipeline step)', () => {
  it('records the call as scored, with duration, transcript and the whole score', async () => {
    const { tenant } = await createTestTenant(table);
    const callId = await createRedeemedCall(table, tenant.tenantId);

    await complete(report(callId));

    const call = await ports.calls.findCall(callId);
    expect(call).toMatchObject({
      status: 'scored',
      startedAt: '2026-06-05T18:00:00.000Z',
      endedAt: '2026-06-05T18:07:30.000Z',
      durationSec: 450,
      transcript: report(callId).transcript,
      score: report(callId).score,
    });
  });

  it('keeps the transcript in its own item, so the call item stays small on the list path', async () => {
    const { tenant } = await createTestTenant(table);
    const callId = await createRedeemedCall(table, tenant.tenantId);

    await complete(report(callId));

    const items = (await itemsOfTenant(table, tenant.tenantId)).filter((item) => item.pk === `CALL#${callId}`);
    expect(items.map((item) => [item.sk, 'transcript' in item])).toEqual([
      ['CALL', false],
      [`TRANSCRIPT#${tenant.tenantId}`, true],
    ]);
  });

  it('refuses to score a call twice, and keeps the first score', async () => {
    const { tenant } = await createTestTenant(table);
    const callId = await createRedeemedCall(table, tenant.tenantId);
    await complete(report(callId));

    await expect(
      complete({ ...report(callId), score: { overallScore: 1, summary: '', feedback: '' } }),
    ).rejects.toMatchObject({
      code: 'CALL_NOT_FOUND',
    });
    expect((await ports.calls.findCall(callId))?.score?.overallScore).toBe(82);
  });

  it('refuses a call that was never redeemed', async () => {
    await expect(complete(report('athos_call_GZ1DjOkZv_VEPoE-CJ8mp'))).rejects.toMatchObject({
      code: 'CALL_NOT_FOUND',
    });
  });

  it.each([
    ['an end before the start', { endedAt: '2026-06-05T17:00:00Z' }],
    ['a score out of range', { score: { overallScore: 101, summary: '', feedback: '' } }],
    ['a score without feedback', { score: { overallScore: 50, summary: '' } }],
    ['a turn without a role', { transcript: [{ content: 'hi' }] }],
    ['a date that is not ISO 8601', { startedAt: 'June 5th' }],
  ])('refuses a report with %s and writes nothing', async (_case, change) => {
    const { tenant } = await createTestTenant(table);
    const callId = await createRedeemedCall(table, tenant.tenantId);
    const before = await itemsOfTenant(table, tenant.tenantId);

    await expect(complete({ ...report(callId), ...change })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });

    expect(await itemsOfTenant(table, tenant.tenantId)).toEqual(before);
  });
});
