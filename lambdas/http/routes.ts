import type { KeyName } from '../tokens/loadKeySet.js';

/**
 * Every operation of the API, once. The CDK stack builds a function and a method from each row, the
 * local server routes by it, and the tests check it against the OpenAPI document: adding an
 * operation is one row here plus its handler file.
 */

export type AuthScheme = 'apiKey' | 'sessionToken';

/**
 * Table access by intent, each a policy of `store/tableAccess.ts` (named here so that the route
 * table needs nothing from the store; the stack does not compile while a name lacks its policy).
 */
export type TableAccess =
  | 'authRead'
  | 'keyUsageWrite'
  | 'quotaWrite'
  | 'redeemWrite'
  | 'redeemChecks'
  | 'callRead'
  | 'callList'
  | 'callEventRead'
  | 'callEventUpdate'
  | 'transcriptWrite'
  | 'outboxWrite'
  | 'webhookEndpointRead'
  | 'webhookDeliveryCreate'
  | 'webhookSendRead'
  | 'webhookSendWrite'
  | 'webhookAuditWrite';

export interface Route {
  /** The contract's operationId. */
  readonly operationId: string;
  readonly method: 'GET' | 'POST';
  /** API Gateway resource path; `{name}` marks a path parameter. */
  readonly path: string;
  /** Handler module, relative to the project root. */
  readonly entry: string;
  readonly auth: AuthScheme;
  /** Whether browsers on other origins may call it (preflight and CORS headers). */
  readonly cors: boolean;
  /** The table access its operation needs: the stack grants exactly this, nothing more. */
  readonly tableAccess: readonly TableAccess[];
  /** The signing keys its handler loads: the stack lets it read these secrets and no others. */
  readonly keys: readonly KeyName[];
}

export const routes = {
  mintSession: {
    operationId: 'mintSession',
    method: 'POST',
    path: '/session',
    entry: 'lambdas/handlers/mintSession.ts',
    auth: 'apiKey',
    cors: false,
    tableAccess: ['authRead', 'quotaWrite', 'keyUsageWrite'],
    keys: ['sessionToken'],
  },
  redeemSession: {
    operationId: 'redeemSession',
    method: 'POST',
    path: '/roleplay/session',
    entry: 'lambdas/handlers/redeemSession.ts',
    auth: 'sessionToken',
    cors: true,
    tableAccess: ['redeemWrite', 'redeemChecks'],
    keys: ['sessionToken', 'connectionTicket'],
  },
  listCalls: {
    operationId: 'listCalls',
    method: 'GET',
    path: '/calls',
    entry: 'lambdas/handlers/listCalls.ts',
    auth: 'apiKey',
    cors: false,
    tableAccess: ['authRead', 'callList'],
    keys: ['cursor'],
  },
  getCall: {
    operationId: 'getCall',
    method: 'GET',
    path: '/calls/{callId}',
    entry: 'lambdas/handlers/getCall.ts',
    auth: 'apiKey',
    cors: false,
    tableAccess: ['authRead', 'callRead'],
    keys: [],
  },
} as const satisfies Record<string, Route>;

export const routeList: readonly Route[] = Object.values(routes);
