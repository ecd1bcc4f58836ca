import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];

/** The contract's closed list of error codes: branch on these, never on a message. */
export type ErrorCode = Schemas['ErrorCode'];
export type CallSource = Schemas['CallSource'];

export type CreateSessionParams = Schemas['MintSessionRequest'];
export type Session = Schemas['MintSessionResponse'];

/** A row of the call list: no transcript, no score. */
export type SlimCall = Schemas['SlimCall'];
/** One call with its transcript and score. */
export type CallDetail = Schemas['CallDetail'];
export type Score = Schemas['Score'];

type ListCallsQuery = operations['listCalls']['parameters']['query'];

/** The filters of `calls.list`. Dates may be given as `Date`s; they are sent as ISO 8601. */
export type ListCallsParams = Omit<ListCallsQuery, 'from' | 'to'> & {
  /** Lower bound (inclusive) on the call's end. */
  from: string | Date;
  /** Upper bound (inclusive) on the call's end. */
  to?: string | Date;
};

export type ListCallsResponse = Schemas['ListCallsResponse'];
export type ErrorEnvelope = Schemas['Error'];
