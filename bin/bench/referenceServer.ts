import { createServer } from 'node:http';
import { createDocumentClient } from '../../lambdas/store/client.js';
import { callsFor, referenceCrypto, runReference, type Operation, type Plans } from './reference.js';

/**
 * The load test's yardstick: a plain node:http server answering the four routes with exactly the
 * DynamoDB calls the API made for them and the same cryptography (reference.ts), on the same table,
 * with nothing else. BENCH_REFERENCE holds `{ endpoint, plans, sessionKeySet }`; the port goes to
 * the parent over IPC.
 */
const { endpoint, plans, sessionKeySet } = JSON.parse(process.env.BENCH_REFERENCE ?? '{}') as {
  endpoint: string;
  plans: Plans;
  sessionKeySet: string;
};
const db = createDocumentClient({ region: 'us-east-1', endpoint });
const crypto = referenceCrypto(sessionKeySet);

// Fresh ids for redeems, made before the load starts so the yardstick does no extra work.
const redeems = Array.from({ length: 20_000 }, () => callsFor(plans, 'redeem'));

const operationOf = (method: string | undefined, url: string | undefined): Operation | undefined => {
  if (method === 'POST') return url === '/session' ? 'mint' : url === '/roleplay/session' ? 'redeem' : undefined;
  if (method !== 'GET' || !url?.startsWith('/calls')) return undefined;
  return url.startsWith('/calls?') ? 'list' : 'get';
};

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const operation = operationOf(request.method, request.url);
    if (!operation) {
      response.writeHead(404).end();
      return;
    }
    const calls = operation === 'redeem' ? (redeems.pop() ?? callsFor(plans, 'redeem')) : plans[operation];
    const bearer = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    runReference(db, crypto, { operation, bearer, calls }).then(
      ({ statusCode, body }) => response.writeHead(statusCode, { 'Content-Type': 'application/json' }).end(body),
      () => response.writeHead(500).end(),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.(typeof address === 'object' && address ? address.port : 0);
});
process.on('SIGTERM', () => process.exit(0));
