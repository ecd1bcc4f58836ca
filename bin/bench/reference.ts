import {
  createCipheriv,
  createHash,
  createHmac,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { newCallId } from '../../lambdas/domain/ids.js';
import { randomBase64Url } from '../../lambdas/domain/random.js';
import type { DocumentClient } from '../../lambdas/store/client.js';
import type { Sent } from './meter.js';

/**
 * The yardstick for CPU and load: a handler that makes exactly the DynamoDB calls the real handler
 * made for the same operation (recorded from it, see meter.ts), through a client with the same
 * settings, and the cryptography no handler of the operation can skip, written straight on
 * node:crypto (see `ReferenceCrypto`); nothing else: no middleware, no validation, no logging, no
 * code of ours. Whatever the real handler costs beyond it is what our code adds.
 */
export const operations = ['mint', 'redeem', 'list', 'get'] as const;
export type Operation = (typeof operations)[number];
export type Plans = Record<Operation, Sent[]>;

const commands: Record<string, new (input: never) => object> = {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
};

/**
 * The calls of one request. A redeem writes a token use and a call that must be new each time, so
 * its recorded ids are swapped for fresh ones; the rest repeat as recorded.
 */
export const callsFor = (plans: Plans, operation: Operation): Sent[] => {
  const recorded = plans[operation];
  if (operation !== 'redeem') return recorded;
  const text = JSON.stringify(recorded);
  const [transaction] = recorded as unknown as {
    input: { ClientRequestToken: string; TransactItems: { Put: { Item: Record<string, string> } }[] };
  }[];
  const tokenUse = String(transaction?.input.TransactItems[0]?.Put.Item.pk);
  const callId = String(transaction?.input.TransactItems[1]?.Put.Item.callId);
  const requestToken = String(transaction?.input.ClientRequestToken);
  return JSON.parse(
    text
      .replaceAll(tokenUse, `JTI#${randomBase64Url(18)}`)
      .replaceAll(callId, newCallId())
      .replaceAll(requestToken, randomBase64Url(27).slice(0, 36)),
  ) as Sent[];
};

/**
 * What each operation must compute whatever code serves it: the API key's SHA-256 (its lookup key)
 * for mint, list and get; for mint an HS256 signature of the session token; for redeem the token's
 * HS256 check and the connection ticket's Ed25519 signature; for a list page with more rows, its
 * AES-256-GCM cursor. Sizes match the real ones; the session key is the API's, so the reference
 * verifies the very tokens the API would.
 */
export interface ReferenceCrypto {
  /** What the credential vouches for: the key's hash (its lookup key), or a token's claims. */
  readonly before: (operation: Operation, bearer: string) => Record<string, unknown>;
  readonly after: (
    operation: Operation,
    vouched: Record<string, unknown>,
    output: Record<string, unknown>,
  ) => Record<string, unknown>;
}

export const referenceCrypto = (sessionKeySet: string): ReferenceCrypto => {
  const sessionKey = createSecretKey(String((JSON.parse(sessionKeySet) as { key: string }).key), 'utf8');
  const ticketKey = generateKeyPairSync('ed25519').privateKey;
  const cursorKey = createSecretKey(randomBytes(32));
  const hs256 = (key: KeyObject, input: string) => createHmac('sha256', key).update(input).digest();
  const claims = (extra: Record<string, unknown>) =>
    Buffer.from(JSON.stringify({ jti: randomBytes(18).toString('base64url'), iat: Date.now(), ...extra })).toString(
      'base64url',
    );
  return {
    before: (operation, bearer) => {
      if (operation !== 'redeem') return { keyHash: createHash('sha256').update(bearer).digest('hex') };
      const [header = '', payload = '', signature = ''] = bearer.split('.');
      if (!timingSafeEqual(Buffer.from(signature, 'base64url'), hs256(sessionKey, `${header}.${payload}`)))
        throw new Error('the reference was given a token the API did not sign');
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    },
    after: (operation, vouched, output) => {
      if (operation === 'mint') {
        const input = `eyJhbGciOiJIUzI1NiJ9.${claims({ sub: 'rep_1001', aid: 'agency_north' })}`;
        return { token: `${input}.${hs256(sessionKey, input).toString('base64url')}` };
      }
      if (operation === 'redeem') {
        const input = `eyJhbGciOiJFZERTQSJ9.${claims({ sub: newCallId(), tid: vouched.tid, drill: 'ma-full-sale' })}`;
        return { ticket: `${input}.${sign(null, Buffer.from(input), ticketKey).toString('base64url')}` };
      }
      if (operation === 'list' && output.LastEvaluatedKey !== undefined) {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', cursorKey, iv);
        const sealed = Buffer.concat([iv, cipher.update(JSON.stringify(output.LastEvaluatedKey)), cipher.final()]);
        return { nextCursor: Buffer.concat([sealed, cipher.getAuthTag()]).toString('base64url') };
      }
      return {};
    },
  };
};

/**
 * One request: the operation's own cryptography around the calls, sent in order as the real
 * handler sends them; answers with the last call's result.
 */
export const runReference = async (
  db: DocumentClient,
  crypto: ReferenceCrypto,
  request: { operation: Operation; bearer: string; calls: readonly Sent[] },
) => {
  const vouched = crypto.before(request.operation, request.bearer);
  let output: Record<string, unknown> = {};
  for (const { command, input } of request.calls) {
    const Command = commands[command];
    if (!Command) throw new Error(`the reference cannot send ${command}`);
    output = (await db.send(new Command(input as never) as never)) as Record<string, unknown>;
  }
  const body = {
    items: output.Items ?? output.Responses ?? output.Attributes,
    ...crypto.after(request.operation, vouched, output),
  };
  return { statusCode: 200, body: JSON.stringify(body) };
};
