import { entityPrefixes } from './keys.js';

/**
 * The table access each part of the store needs, by intent. The stack grants a function exactly the
 * entries its route lists: these actions, only on items whose partition key starts with one of
 * these prefixes (`dynamodb:LeadingKeys`), and on the list indexes only where said.
 */
export interface TableAccessPolicy {
  readonly actions: readonly string[];
  readonly leadingKeyPrefixes: readonly string[];
  readonly on: 'table' | 'indexes';
  /** Allowed only as part of this operation (`dynamodb:EnclosingOperation`). */
  readonly onlyWithin?: 'TransactWriteItems';
}

export const tableAccessPolicies = {
  /** authStore: the key and its tenant, in one BatchGetItem. */
  authRead: {
    actions: ['dynamodb:BatchGetItem'],
    leadingKeyPrefixes: [entityPrefixes.apiKey, entityPrefixes.tenant],
    on: 'table',
  },
  /** keyUsageStore: an API key's lastUsedAt. */
  keyUsageWrite: { actions: ['dynamodb:UpdateItem'], leadingKeyPrefixes: [entityPrefixes.apiKey], on: 'table' },
  /** quotaStore: the tenant's month counter. */
  quotaWrite: { actions: ['dynamodb:UpdateItem'], leadingKeyPrefixes: [entityPrefixes.tenant], on: 'table' },
  /** callStore.createRedeemedCall: the token use and the call, in one transaction of two puts. */
  redeemWrite: {
    actions: ['dynamodb:PutItem'],
    leadingKeyPrefixes: [entityPrefixes.tokenUse, entityPrefixes.call],
    on: 'table',
    // A lone put could mark a token used without its call, or the reverse.
    onlyWithin: 'TransactWriteItems',
  },
  /** calls/reader.findCallOfTenant: the call and the tenant's transcript of it, in one BatchGetItem. */
  callRead: { actions: ['dynamodb:BatchGetItem'], leadingKeyPrefixes: [entityPrefixes.call], on: 'table' },
  /** callStore.listScoredCalls: the list indexes, whose partition keys all start with the tenant. */
  callList: { actions: ['dynamodb:Query'], leadingKeyPrefixes: [entityPrefixes.tenant], on: 'indexes' },
} as const satisfies Record<string, TableAccessPolicy>;

export type TableAccess = keyof typeof tableAccessPolicies;
