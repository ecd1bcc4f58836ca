import { requestsFor } from '../../local/apiRequests.js';
import type { InProcessRequest } from '../../local/invokeInProcess.js';
import type { Operation } from './reference.js';
import { sessionTokenSource } from './sessionTokens.js';

/** Each operation's request for one tenant, as a client sends it; every redeem with a fresh token. */
export const operationRequests = (fixture: {
  apiKey: string;
  tenantId: string;
  keyId: string;
  callId: string;
  sessionKeySet: string;
}) => {
  const requests = requestsFor(fixture.apiKey);
  const freshToken = sessionTokenSource(fixture.sessionKeySet, fixture.tenantId, fixture.keyId);
  const requestFor = (operation: Operation): InProcessRequest =>
    operation === 'mint'
      ? requests.mint()
      : operation === 'redeem'
        ? requests.redeem(freshToken())
        : operation === 'list'
          ? requests.list()
          : requests.get(fixture.callId);
  return { requests, freshToken, requestFor };
};

/** The credential a request carries: the API key, or for a redeem the session token. */
export const bearerOf = (request: InProcessRequest): string =>
  (request.headers ?? []).find(([name]) => name === 'Authorization')?.[1].replace(/^Bearer /, '') ?? '';
