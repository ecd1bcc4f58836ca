import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { AthosError } from '../../lambdas/domain/errors.js';
import type { Clock } from '../../lambdas/domain/ports.js';
import { createDocumentClient } from '../../lambdas/store/client.js';
import type { Table } from '../../lambdas/store/table.js';
import { localDynamoPort, localTableName } from '../../local/localState.js';
import { createSqsClient } from '../../lambdas/queue/client.js';
import { isRetryableAwsFault } from '../../lambdas/store/awsFaults.js';
import { defaultLocalQueueUrl } from '../../local/callEvents.js';
import { commands, type CommandContext } from './commands.js';
import { webhookCommands } from './webhookCommands.js';
import { UsageError } from './usageError.js';

const usage = `athos-admin: tenants, API keys, quotas and IP allowlists of the Athos External API

Usage: npm run admin -- <command> [options]      (or: npx athos-admin <command> [options])

Tenants
  tenant create --name NAME [--quota N] [--allow-ip CIDR]...
  tenant list
  tenant show --tenant ID
  tenant update --tenant ID [--quota N] [--allow-ip CIDR]... [--clear-allowlist]
  tenant deactivate --tenant ID
  tenant activate --tenant ID
API keys
  key create --tenant ID [--label TEXT] [--mode live|test]
                                                   prints the key once; only its hash is stored;
                                                   test keys (ath_test_) see test-mode data only
  key list --tenant ID
  key revoke --key ID
  key rotate --key ID [--overlap DURATION]         the old key works for the overlap (default 24h)
Signing keys (a key set is piped in, as stored in its secret: {"kid","key","previous"?})
  signing-keys check                               the key set as the functions will load it, or what is wrong
  signing-keys jwks                                the public keys of a connection-ticket key set, as a JWKS
Usage and calls
  usage --tenant ID [--month YYYY-MM]
  call complete --call ID [--transcript FILE] [--score FILE] [--ended-at ISO] [--duration DURATION]
  calls seed --tenant ID --count N [--user ID] [--agency ID]
Call events (the voice pipeline's queue)
  events send --file EVENT.json                    one event, or an array of them, onto the queue
  events dead-letters                              what was set aside, and why
  events redrive [--message ID]...                 sends dead letters back to the queue (all, or these)
Webhooks (docs/webhooks.md)
  webhook add --tenant ID --url URL [--events call.scored,call.ended] [--mode live|test] [--description TEXT]
                                                   prints the endpoint id and its signing secret once
  webhook list --tenant ID                         endpoints, their status, and the webhook audit trail
  webhook disable --endpoint ID
  webhook enable --endpoint ID
  webhook rotate-secret --endpoint ID [--overlap DURATION]
                                                   the old secret also signs for the overlap (default 24h)
  webhook test --endpoint ID                       a signed sample event through the pipeline; waits for it
  webhook deliveries --endpoint ID [--status pending|succeeded|failed] [--limit N]
  webhook replay --delivery ID                     sends one delivery again (same webhook-id)
  webhook replay --endpoint ID --since ISO         sends again what failed since then

Where
  (default)          the table of the local run (npm start): DynamoDB Local on 127.0.0.1:${localDynamoPort}
  --table NAME       a deployed table (the stack's TableName output), with AWS credentials as usual
  --region REGION    its region (default: AWS_REGION)
  --endpoint URL     a DynamoDB endpoint of your own (e.g. DynamoDB Local on another port); a URL is
                     always this, so \`--endpoint ID\` of the webhook commands can stand beside it
  --kms-key ARN      for webhook add and rotate-secret on a deployed table: the key that seals
                     signing secrets (the stack's WebhookSecretsKeyArn; or WEBHOOK_KMS_KEY_ID)
  --queue-url URL    for events: a deployed queue (the stack's CallEventsQueueUrl); default the
                     queue of the local run (npm start), ${defaultLocalQueueUrl}
Output
  --json             exactly one JSON object on stdout
  --actor NAME       who is making the change, for the audit trail (default: your OS user)`;

const optionSpec = {
  table: { type: 'string' },
  region: { type: 'string' },
  // A DynamoDB endpoint (a URL), a webhook endpoint's id, or one of each.
  endpoint: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  actor: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  quota: { type: 'string' },
  'allow-ip': { type: 'string', multiple: true },
  'clear-allowlist': { type: 'boolean' },
  tenant: { type: 'string' },
  label: { type: 'string' },
  key: { type: 'string' },
  overlap: { type: 'string' },
  month: { type: 'string' },
  call: { type: 'string' },
  transcript: { type: 'string' },
  score: { type: 'string' },
  'ended-at': { type: 'string' },
  duration: { type: 'string' },
  count: { type: 'string' },
  user: { type: 'string' },
  agency: { type: 'string' },
  mode: { type: 'string' },
  file: { type: 'string' },
  message: { type: 'string', multiple: true },
  'queue-url': { type: 'string' },
  url: { type: 'string' },
  events: { type: 'string' },
  description: { type: 'string' },
  status: { type: 'string' },
  limit: { type: 'string' },
  delivery: { type: 'string' },
  since: { type: 'string' },
  'kms-key': { type: 'string' },
} as const;
const globalOptions = new Set(['table', 'region', 'endpoint', 'json', 'actor', 'help']);

/** The events queue: the local run's by default, a deployed one with --queue-url. */
const connectQueue = (values: Record<string, unknown>) => () => {
  const queueUrl = (values['queue-url'] as string | undefined) ?? defaultLocalQueueUrl;
  const local = queueUrl.startsWith('http://127.0.0.1') || queueUrl.startsWith('http://localhost');
  const region =
    /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\//.exec(queueUrl)?.[1] ??
    (values.region as string | undefined) ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION;
  if (!region && !local) throw new UsageError('give --region, or set AWS_REGION, to use a deployed queue');
  const sqs = createSqsClient({
    region: region ?? 'us-east-1',
    endpoint: local ? new URL(queueUrl).origin : undefined,
  });
  return { sqs, queueUrl, where: local ? `the local queue at ${queueUrl}` : queueUrl };
};

/** The table to work on: the local run's by default, a deployed one with --table. */
const connect = (values: Record<string, unknown>): { table: Table; where: string } => {
  const endpoint = values.endpoint as string | undefined;
  if (values.table === undefined) {
    const local = endpoint ?? `http://127.0.0.1:${localDynamoPort}`;
    return {
      table: { db: createDocumentClient({ region: 'us-east-1', endpoint: local }), name: localTableName },
      where: `DynamoDB Local at ${local}`,
    };
  }
  const region = (values.region as string | undefined) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region && !endpoint) throw new UsageError('give --region, or set AWS_REGION, to use a deployed table');
  return {
    table: {
      db: createDocumentClient({ region: region ?? 'us-east-1', ...(endpoint ? { endpoint } : {}) }),
      name: String(values.table),
    },
    where: endpoint ?? `DynamoDB in ${region}`,
  };
};

/** Operators may pin the clock (ATHOS_ADMIN_NOW, ISO 8601), e.g. to test a key rotation's end. */
const adminClock = (): Clock => {
  const pinned = process.env.ATHOS_ADMIN_NOW;
  if (!pinned) return { now: () => new Date() };
  const at = new Date(pinned);
  if (Number.isNaN(at.getTime())) throw new UsageError(`ATHOS_ADMIN_NOW is not an ISO 8601 time: ${pinned}`);
  return { now: () => new Date(at) };
};

const main = async (): Promise<number> => {
  let parsed;
  try {
    parsed = parseArgs({ options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(usage);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }

  const name = positionals.join(' ');
  const command = commands[name] ?? webhookCommands[name];
  if (!command) throw new UsageError(`unknown command '${name}' (see --help)`);
  for (const option of Object.keys(values)) {
    if (!globalOptions.has(option) && !command.options.includes(option)) {
      throw new UsageError(`'${name}' takes no --${option} (see --help)`);
    }
  }
  const { dynamoEndpoint, webhookEndpoint } = splitEndpoints(values.endpoint ?? []);
  if (webhookEndpoint !== undefined && !command.options.includes('endpoint')) {
    throw new UsageError(`'${name}' takes no --endpoint ID; a DynamoDB endpoint is a URL`);
  }
  const options = { ...values, endpoint: dynamoEndpoint, webhookEndpoint };

  const { table, where } = connect(options);
  const queue = memo(connectQueue(values));
  const context: CommandContext = {
    table,
    local: values.table === undefined || dynamoEndpoint !== undefined,
    queue: queue.get,
    clock: adminClock(),
    actor: values.actor ?? userInfo().username,
    readJsonFile: (path) => {
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as unknown;
      } catch (error) {
        throw new UsageError(`cannot read ${path} as JSON: ${(error as Error).message}`);
      }
    },
    progress: !values.json || process.stderr.isTTY === true,
    readStdin: async () => {
      if (process.stdin.isTTY) {
        throw new UsageError(
          'pipe the key set in, e.g.: aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text | athos-admin …',
        );
      }
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
  try {
    const result = await command.run(context, options as Record<string, string | string[] | boolean | undefined>);
    process.stdout.write(values.json ? `${JSON.stringify(result.data)}\n` : `${result.text}\n`);
    return 0;
  } catch (error) {
    throw explain(error, table.name, queue.made() ? queue.get().where : where);
  } finally {
    table.db.destroy();
    if (queue.made()) queue.get().sqs.destroy();
  }
};

/** `--endpoint` values: a URL is DynamoDB's; anything else is a webhook endpoint's id. */
const splitEndpoints = (given: readonly string[]) => {
  const urls = given.filter((value) => /^https?:\/\//i.test(value));
  const ids = given.filter((value) => !/^https?:\/\//i.test(value));
  if (urls.length > 1) throw new UsageError('give at most one --endpoint URL (DynamoDB)');
  if (ids.length > 1) throw new UsageError('give at most one --endpoint ID (a webhook endpoint)');
  return { dynamoEndpoint: urls[0], webhookEndpoint: ids[0] };
};

/** Made on first use, so commands that never touch the queue never need its settings. */
const memo = <T>(make: () => T) => {
  let made: { value: T } | undefined;
  return { get: () => (made ??= { value: make() }).value, made: () => made !== undefined };
};

/** One clear line for what went wrong, never a stack. */
const explain = (error: unknown, tableName: string, where: string): Error => {
  if (error instanceof UsageError) return error;
  // The store reports every fault that means "try again" as SERVICE_UNAVAILABLE; the queue's client does not.
  if (isRetryableAwsFault(error) || (error instanceof AthosError && error.code === 'SERVICE_UNAVAILABLE')) {
    const local =
      where.startsWith('DynamoDB Local') || where.startsWith('the local queue') ? ' Is `npm start` running?' : '';
    return new Error(`cannot reach ${where}.${local}`);
  }
  if (error instanceof AthosError) return new Error(error.message);
  if (error instanceof ResourceNotFoundException) return new Error(`table ${tableName} does not exist in ${where}`);
  // Credential failures come from the SDK's shared providers, with no class of DynamoDB's to test.
  const name = (error as { name?: string }).name;
  if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue') {
    return new Error(`no queue at ${where}`);
  }
  if (
    name === 'UnrecognizedClientException' ||
    name === 'ExpiredTokenException' ||
    name === 'CredentialsProviderError'
  ) {
    return new Error(`AWS refused the credentials (${name}); check your AWS profile or environment`);
  }
  return new Error((error as Error).message ?? String(error));
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`athos-admin: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
