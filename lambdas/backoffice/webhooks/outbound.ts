import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { AthosError } from '../../domain/errors.js';
import { ipLiteralOf, refusedAddressReason, type OutboundPolicy } from '../../domain/outboundAddresses.js';
import type { PostResult, UrlVetter, WebhookPoster } from '../../domain/webhookPorts.js';
import type { DeliveryErrorClass } from '../../domain/webhooks.js';

/**
 * Calls to resellers' URLs, within the outbound rules (`domain/outboundAddresses.ts`): the host is
 * resolved and every address checked at registration and again at each connection, and the
 * connection goes to an address that was checked (the check is the agent's DNS lookup, so nothing
 * can resolve differently in between); redirects are never followed; at most 64 KB of a response
 * is read, and only to let the connection be reused.
 */

export type Resolve = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
}

const maxUrlLength = 2_048;
export const webhookTimeoutMs = 10_000;
const maxResponseBytes = 64 * 1024;

/** @throws RefusedAddressError naming the first refused address */
const checkAll = (hostname: string, addresses: readonly { address: string }[], policy: OutboundPolicy) => {
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address, policy);
    if (reason) throw new RefusedAddressError(`${hostname} resolves to ${address}, which is ${reason}`);
  }
};

/** @throws RefusedAddressError when a literal address in a URL is refused */
const checkLiteral = (address: string, policy: OutboundPolicy) => {
  const reason = refusedAddressReason(address, policy);
  if (reason) throw new RefusedAddressError(`${address} is ${reason}`);
};

/**
 * A DNS lookup for sockets that refuses a host if any of its addresses is refused, and otherwise
 * hands the socket exactly the addresses it checked.
 */
export const checkedLookup =
  (policy: OutboundPolicy, resolve: Resolve): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        try {
          checkAll(hostname, resolved, policy);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '', 0);
          return;
        }
        const family = typeof options.family === 'number' ? options.family : 0;
        const usable = resolved.filter((entry) => family === 0 || entry.family === family);
        const first = usable[0];
        if (!first) {
          callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
            ...usable,
          ]);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

const schemesOf = (policy: OutboundPolicy) => (policy === 'public' ? ['https:'] : ['https:', 'http:']);

/** The URL, if its scheme and shape are allowed; the host is checked separately. */
const parseTarget = (text: string, policy: OutboundPolicy): URL => {
  if (text.length > maxUrlLength) throw new RefusedAddressError(`the URL is longer than ${maxUrlLength} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RefusedAddressError('it is not an absolute URL');
  }
  if (!schemesOf(policy).includes(url.protocol)) {
    throw new RefusedAddressError(
      `it must start with ${schemesOf(policy)
        .map((scheme) => `${scheme}//`)
        .join(' or ')}`,
    );
  }
  if (url.username || url.password) throw new RefusedAddressError('it must not carry a user name or password');
  return url;
};

export const createUrlVetter = (policy: OutboundPolicy, resolve: Resolve = systemResolve): UrlVetter => ({
  async vet(text) {
    try {
      const url = parseTarget(text, policy);
      const literal = ipLiteralOf(url.hostname);
      if (literal !== undefined) checkLiteral(literal, policy);
      else {
        let resolved: readonly { address: string }[];
        try {
          resolved = await resolve(url.hostname);
        } catch {
          throw new RefusedAddressError(`${url.hostname} does not resolve`);
        }
        checkAll(url.hostname, resolved, policy);
      }
      return url.href;
    } catch (error) {
      if (!(error instanceof RefusedAddressError) && (error as { code?: string }).code !== 'ENOTFOUND') throw error;
      throw new AthosError('INVALID_REQUEST', `the webhook URL is refused: ${(error as Error).message}`);
    }
  },
});

const errorClassOf = (error: unknown): DeliveryErrorClass => {
  if (error instanceof RefusedAddressError) return 'address_refused';
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'ETIMEDOUT' || code === 'ERR_WEBHOOK_TIMEOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'dns';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code)) return 'tls';
  return 'connection';
};

export interface PosterOptions {
  readonly policy: OutboundPolicy;
  readonly resolve?: Resolve;
  /** @default 10 s, for the whole attempt: connecting, sending, and the answer's first 64 KB */
  readonly timeoutMs?: number;
}

export const createWebhookPoster = (options: PosterOptions): WebhookPoster & { close(): void } => {
  const lookup = checkedLookup(options.policy, options.resolve ?? systemResolve);
  const agents = {
    'https:': new HttpsAgent({ keepAlive: true, lookup }),
    'http:': new HttpAgent({ keepAlive: true, lookup }),
  };
  const timeoutMs = options.timeoutMs ?? webhookTimeoutMs;

  return {
    post(url, headers, body): Promise<PostResult> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      let target: URL;
      try {
        target = parseTarget(url, options.policy);
        // A literal address never reaches the lookup: it is checked here instead.
        const literal = ipLiteralOf(target.hostname);
        if (literal !== undefined) checkLiteral(literal, options.policy);
      } catch (error) {
        return Promise.resolve({ errorClass: errorClassOf(error), latencyMs: elapsed() });
      }

      return new Promise((resolve) => {
        let settled = false;
        let answer: { statusCode: number; retryAfter?: string; latencyMs: number } | undefined;
        const settle = (result: PostResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(result);
        };
        const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
          method: 'POST',
          agent: agents[target.protocol as 'https:' | 'http:'],
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'Athos-Webhooks/1.0',
          },
        });
        const timer = setTimeout(() => {
          if (answer) settle(answer);
          else settle({ errorClass: 'timeout', latencyMs: elapsed() });
          request.destroy(Object.assign(new Error('webhook attempt timed out'), { code: 'ERR_WEBHOOK_TIMEOUT' }));
        }, timeoutMs);

        request.on('response', (response: IncomingMessage) => {
          const retryAfter = response.headers['retry-after'];
          answer = {
            statusCode: response.statusCode ?? 0,
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
            latencyMs: elapsed(),
          };
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > maxResponseBytes) {
              response.destroy();
              if (answer) settle(answer);
            }
          });
          response.on('end', () => answer && settle(answer));
          response.on('close', () => answer && settle(answer));
          response.on('error', () => answer && settle(answer));
        });
        request.on('error', (error) => settle(answer ?? { errorClass: errorClassOf(error), latencyMs: elapsed() }));
        request.end(body);
      });
    },

    close() {
      agents['https:'].destroy();
      agents['http:'].destroy();
    },
  };
};
