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
  /**
   * For writes and checks: the only attributes a request may name (`dynamodb:Attributes`, keys
   * included), and no `ReturnValues` but NONE, so a write can neither touch nor read anything else
   * of an item that shares its partition.
   */
  readonly attributes?: readonly string[];
}

/** What redeem's two puts write: the token use, and the call as redeem leaves it (unscored, off every list). */
const redeemPutAttributes = [
  'pk',
  'sk',
  'callId',
  'tenantId',
  'usedAt',
  'expiresAtEpoch',
  'sessionId',
  'source',
  'externalUserId',
  'externalAgencyId',
  'drillKey',
  'difficulty',
  'personaName',
  'status',
  'mode',
  'createdAt',
  'updatedAt',
];

export const tableAccessPolicies = {
  /** apiKeys.ts, authentication: the key and its tenant, in one BatchGetItem. */
  authRead: {
    actions: ['dynamodb:BatchGetItem'],
    leadingKeyPrefixes: [entityPrefixes.apiKey, entityPrefixes.tenant],
    on: 'table',
  },
  /** apiKeys.ts, key usage: an API key's lastUsedAt, and nothing else of the key (its status above all). */
  keyUsageWrite: {
    actions: ['dynamodb:UpdateItem'],
    leadingKeyPrefixes: [entityPrefixes.apiKey],
    on: 'table',
    attributes: ['pk', 'sk', 'lastUsedAt'],
  },
  /** quota.ts: the tenant's month counter, which shares the partition of the tenant's record. */
  quotaWrite: {
    actions: ['dynamodb:UpdateItem'],
    leadingKeyPrefixes: [entityPrefixes.tenant],
    on: 'table',
    attributes: ['pk', 'sk', 'sessionsMinted'],
  },
  /** calls/redemptions.ts: the token use and the call, in one transaction of two puts. */
  redeemWrite: {
    actions: ['dynamodb:PutItem'],
    leadingKeyPrefixes: [entityPrefixes.tokenUse, entityPrefixes.call],
    on: 'table',
    // A lone put could mark a token used without its call, or the reverse.
    onlyWithin: 'TransactWriteItems',
    // A put replaces a whole item, so an existing call could still be overwritten (IAM cannot
    // demand the put's condition); but never with a score, a transcript or a place on a list.
    attributes: redeemPutAttributes,
  },
  /** calls/redemptions.ts: the tenant's status and its pointer to the minting key, checked in the same transaction. */
  redeemChecks: {
    actions: ['dynamodb:ConditionCheckItem'],
    leadingKeyPrefixes: [entityPrefixes.tenant],
    on: 'table',
    onlyWithin: 'TransactWriteItems',
    attributes: ['pk', 'sk', 'status', 'expiresAt'],
  },
  /** calls/reader.ts findCallOfTenant: the call and the tenant's transcript of it, in one BatchGetItem. */
  callRead: { actions: ['dynamodb:BatchGetItem'], leadingKeyPrefixes: [entityPrefixes.call], on: 'table' },
  /** calls/lister.ts: the list indexes, whose partition keys all start with the tenant. */
  callList: { actions: ['dynamodb:Query'], leadingKeyPrefixes: [entityPrefixes.tenant], on: 'indexes' },
  /** webhooks/endpoints: a tenant's endpoints (fan-out), or one of them (a test event). */
  webhookEndpointRead: {
    actions: ['dynamodb:Query', 'dynamodb:GetItem'],
    leadingKeyPrefixes: [entityPrefixes.webhooks],
    on: 'table',
  },
  /** webhooks/deliveries.createDeliveries: a conditional put, and a read of one that was there. */
  webhookDeliveryCreate: {
    actions: ['dynamodb:PutItem', 'dynamodb:GetItem'],
    leadingKeyPrefixes: [entityPrefixes.deliveries],
    on: 'table',
  },
  /** webhooks/deliveries.findForSending: a delivery and its endpoint, in one BatchGetItem. */
  webhookSendRead: {
    actions: ['dynamodb:BatchGetItem'],
    leadingKeyPrefixes: [entityPrefixes.deliveries, entityPrefixes.webhooks],
    on: 'table',
  },
  /** recordAttempt, and the endpoint's failure streak and status (noteFailing, updateEndpoint). */
  webhookSendWrite: {
    actions: ['dynamodb:UpdateItem'],
    leadingKeyPrefixes: [entityPrefixes.deliveries, entityPrefixes.webhooks],
    on: 'table',
  },
  /** The audit record of an endpoint the sender disables, in the transaction that disables it. */
  webhookAuditWrite: {
    actions: ['dynamodb:PutItem'],
    leadingKeyPrefixes: [entityPrefixes.webhooks],
    on: 'table',
    onlyWithin: 'TransactWriteItems',
  },
  /** calls/lifecycle: a call's state, read before each event is applied. */
  callEventRead: { actions: ['dynamodb:GetItem'], leadingKeyPrefixes: [entityPrefixes.call], on: 'table' },
  /** calls/lifecycle: the call item's conditional updates, alone or in a transaction. */
  callEventUpdate: { actions: ['dynamodb:UpdateItem'], leadingKeyPrefixes: [entityPrefixes.call], on: 'table' },
  /** calls/lifecycle: the webhook outbox items a call's change announces, only with that change. */
  outboxWrite: {
    actions: ['dynamodb:PutItem'],
    leadingKeyPrefixes: [entityPrefixes.outbox],
    on: 'table',
    onlyWithin: 'TransactWriteItems',
  },
  /** calls/lifecycle: the transcript beside the call, only with the call's own update. */
  transcriptWrite: {
    actions: ['dynamodb:PutItem'],
    leadingKeyPrefixes: [entityPrefixes.call],
    on: 'table',
    onlyWithin: 'TransactWriteItems',
  },
} as const satisfies Record<string, TableAccessPolicy>;
