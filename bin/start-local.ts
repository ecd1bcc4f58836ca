import { parseArgs } from 'node:util';
import { systemClock } from '../lambdas/domain/ports.js';
import { createDocumentClient } from '../lambdas/store/client.js';
import { createTenantStore } from '../lambdas/store/tenantStore.js';
import { parseKeySet } from '../lambdas/tokens/keySet.js';
import { publicJwks } from '../lambdas/tokens/ticketKeys.js';
import { createLocalApi, handlerEnvironment } from '../local/app.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodbLocal.js';
import { ensureTable } from '../local/ensureTable.js';
import { connectionTicketJwksPath } from '../local/gateway.js';
import {
  dynamoDataDirectory,
  freshLocalState,
  localDynamoPort,
  localTableName,
  readLocalState,
  writeLocalState,
  inMemoryWebhookSealingKeys,
  newKeySet,
  type LocalState,
  webhookStreamCheckpointFile,
} from '../local/localState.js';
import { loadOpenApiDocument } from '../local/openApiDocument.js';
import { seedDemoTenant } from '../local/seed.js';
import { localSqsPort, startBackOffice, startLocalCallEvents } from '../local/callEvents.js';
import {
  createLocalWebhookQueues,
  localRetrySchedule,
  localWebhookEnvironment,
  startLocalWebhooks,
} from '../local/webhooks.js';
import { parseRetrySchedule } from '../lambdas/domain/webhookRetries.js';

// The SDK's notice about Node.js 20 (harmless here; Lambda runs Node.js 24) would bury the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm start [-- --in-memory] [-- --port N] [-- --no-simulator]

Runs the Athos External API on http://127.0.0.1:3000 with DynamoDB Local, the call-events queue
(an SQS-compatible endpoint on 127.0.0.1:${localSqsPort}) and its consumer.
  --in-memory      a throwaway database (also ATHOS_IN_MEMORY=1); nothing is kept
  --port N         the API's port (also PORT); default 3000
  --no-simulator   redeemed calls stay unscored until an event is sent (athos-admin events send)
  --webhook-retries SCHEDULE
                   the waits after each failed webhook attempt (also WEBHOOK_RETRY_SCHEDULE);
                   default ${localRetrySchedule}; AWS waits 5s,5m,30m,2h,5h,10h,10h
Data of a normal run is kept in .data/ (git-ignored): delete it to start over.`;

const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean' },
    port: { type: 'string' },
    'no-simulator': { type: 'boolean' },
    'webhook-retries': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const inMemory = values['in-memory'] === true || process.env.ATHOS_IN_MEMORY === '1';
const port = Number(values.port ?? process.env.PORT ?? 3000);
const simulator = values['no-simulator'] !== true;
const webhookRetries = values['webhook-retries'] ?? process.env.WEBHOOK_RETRY_SCHEDULE ?? localRetrySchedule;
if (!parseRetrySchedule(webhookRetries)) {
  console.error(`Invalid webhook retry schedule: ${webhookRetries} (e.g. ${localRetrySchedule})`);
  process.exit(2);
}
/** A simulated call lasts this long; its score follows a couple of seconds later. */
const simulatedCallSeconds = 4;
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`Invalid port: ${values.port ?? process.env.PORT}`);
  process.exit(2);
}

const step = (message: string) => console.log(`• ${message}`);
let database: DynamoDbLocal | undefined;

const main = async () => {
  database = await startDynamoDbLocal({
    onProgress: step,
    ...(inMemory ? {} : { dataDirectory: dynamoDataDirectory(), port: localDynamoPort }),
  });

  if (await ensureTable(database.endpoint, localTableName)) step(`Created table ${localTableName}`);

  const table = {
    db: createDocumentClient({ region: 'us-east-1', endpoint: database.endpoint }),
    name: localTableName,
  };
  const state: LocalState = (inMemory ? undefined : readLocalState()) ?? freshLocalState();
  let newDemoKey: string | undefined;
  if (!state.demo || !(await createTenantStore(table).findTenant(state.demo.tenantId))) {
    step('Seeding the demo tenant with a few scored calls');
    state.demo = await seedDemoTenant(table, systemClock);
    newDemoKey = state.demo.apiKey;
  }
  state.webhookSealingKeys = inMemory ? inMemoryWebhookSealingKeys : (state.webhookSealingKeys ?? newKeySet());
  if (!inMemory) writeLocalState(state);

  const webhookQueues = createLocalWebhookQueues();
  const callEvents = await startLocalCallEvents({
    port: localSqsPort,
    simulatedCallSeconds,
    alsoServe: [webhookQueues.deliveries, webhookQueues.deadLetters],
  });
  shutdownHooks.push(() => callEvents.close());
  const apiSettings = {
    dynamoEndpoint: database.endpoint,
    tableName: localTableName,
    keys: state.keys,
    // One line per request comes from the gateway; handlers speak up only for warnings and errors.
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    environment: {
      ...callEvents.environment,
      ...localWebhookEnvironment({
        sqsEndpoint: callEvents.endpoint,
        sealingKeys: state.webhookSealingKeys,
        retrySchedule: webhookRetries,
      }),
    },
  };
  const backOffice = await startBackOffice(callEvents, {
    table,
    simulator,
    environment: handlerEnvironment(apiSettings),
  });
  shutdownHooks.unshift(() => backOffice.stop());
  step(`Call events: queue ${callEvents.queueUrl}, consumer running, simulator ${simulator ? 'on' : 'off'}`);
  const webhooks = await startLocalWebhooks({
    queues: webhookQueues,
    dynamoEndpoint: database.endpoint,
    tableName: localTableName,
    ...(inMemory ? {} : { checkpointFile: webhookStreamCheckpointFile }),
  });
  shutdownHooks.unshift(() => webhooks.stop());
  step(`Webhooks: fan-out on the table's stream, sender on the delivery queue (retries ${webhookRetries})`);

  const server = await createLocalApi(
    { ...apiSettings, wrapHandler: backOffice.observeRedeems },
    {
      openApiDocument: loadOpenApiDocument(),
      onRequest: ({ method, path, status, requestId, ms }) =>
        console.log(`${method} ${path.split('?')[0]} → ${status} in ${ms} ms (${requestId})`),
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  shutdownHooks.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));
  printWelcome(`http://127.0.0.1:${port}`, state, newDemoKey);
};

const printWelcome = (base: string, state: LocalState, newDemoKey: string | undefined) => {
  const demo = state.demo;
  if (!demo) return;
  const jwks = publicJwks(parseKeySet('connectionTicket', state.keys.connectionTicket));
  const keyLine = newDemoKey
    ? `Demo API key (shown now, when it was created; also kept in .data/local.json):\n  export ATHOS_API_KEY=${newDemoKey}`
    : `Demo API key: kept in .data/local.json. Load it with:\n  export ATHOS_API_KEY=$(node -p "require('./.data/local.json').demo.apiKey")`;
  const json = `-H 'Content-Type: application/json'`;
  console.log(`
Athos External API is running on ${base}  (OpenAPI: ${base}/openapi.json; Ctrl-C stops it)

${keyLine}

1. Mint a session token (your backend):
  curl -s -X POST ${base}/session -H "Authorization: Bearer $ATHOS_API_KEY" ${json} -d '{"externalUserId":"rep_8842","externalAgencyId":"agency_chicago"}'

2. Redeem it once (the browser SDK), pasting the token from step 1:
  export ATHOS_SESSION_TOKEN=<token>
  curl -s -X POST ${base}/roleplay/session -H "Authorization: Bearer $ATHOS_SESSION_TOKEN" ${json} -d '{"drillKey":"ma-full-sale","difficulty":"Advanced","filters":{"state":"CA"}}'

${
  simulator
    ? `   The simulator plays the call: it is scored, listed and readable about ${simulatedCallSeconds + 3} s after the redeem.`
    : '   The simulator is off (--no-simulator): score the call with `npm run admin -- events send --file EVENT.json`.'
}

3. List scored calls, newest first:
  curl -s "${base}/calls?from=2020-01-01T00:00:00Z&limit=5" -H "Authorization: Bearer $ATHOS_API_KEY"

4. Read one call with its transcript and score (the redeem's callId, or this seeded one):
  curl -s ${base}/calls/${demo.callId} -H "Authorization: Bearer $ATHOS_API_KEY"

5. Verify a connection ticket from step 2 as the voice transport does (docs/voice-transport.md):
  node docs/examples/verify-connection-ticket.mjs ${base}${connectionTicketJwksPath} <connectionTicket>

Connection-ticket public keys (JWKS), also served at ${base}${connectionTicketJwksPath}:
  ${JSON.stringify(jwks)}

Test mode: \`npm run admin -- key create --tenant ${demo.tenantId} --mode test\` gives an ath_test_ key whose
calls and data a live key never sees (docs/test-mode.md). Events: docs/call-events.md.

Webhooks (docs/webhooks.md): hear of each scored call the moment it exists.
  npm run admin -- webhook add --tenant ${demo.tenantId} --url http://127.0.0.1:4000/webhooks
  npm run webhooks:listen -- --port 4000 --secret <the whsec_… it printed>
  Then redeem a call (step 2): its signed call.scored arrives seconds after the simulator scores it.
`);
};

const shutdownHooks: (() => Promise<void>)[] = [];
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const hook of shutdownHooks) await hook();
  await database?.stop();
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// npm's shell dies on SIGTERM without passing it on; a changed parent means whoever started us is gone.
const parentAtStart = process.ppid;
setInterval(() => process.ppid !== parentAtStart && void shutdown(0), 500).unref();

main().catch(async (error: unknown) => {
  console.error(`\nCould not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
