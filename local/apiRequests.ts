import type { InProcessRequest } from './invokeInProcess.js';

/** The four operations as a client sends them, for in-process calls from the tests and the benchmark. */
export const requestsFor = (apiKey: string) => ({
  mint: (): InProcessRequest => ({
    method: 'POST',
    path: '/session',
    headers: [
      ['Authorization', `Bearer ${apiKey}`],
      ['Content-Type', 'application/json'],
    ],
    body: '{"externalUserId":"rep_1001","externalAgencyId":"agency_north"}',
  }),
  redeem: (token: string): InProcessRequest => ({
    method: 'POST',
    path: '/roleplay/session',
    headers: [
      ['Authorization', `Bearer ${token}`],
      ['Content-Type', 'application/json'],
    ],
    body: '{"drillKey":"ma-full-sale","difficulty":"Advanced"}',
  }),
  list: (limit = 50): InProcessRequest => ({
    method: 'GET',
    path: `/calls?from=2020-01-01T00:00:00Z&limit=${limit}`,
    headers: [['Authorization', `Bearer ${apiKey}`]],
  }),
  get: (callId: string): InProcessRequest => ({
    method: 'GET',
    path: `/calls/${callId}`,
    headers: [['Authorization', `Bearer ${apiKey}`]],
  }),
});
