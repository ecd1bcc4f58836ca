import type { SQSClient } from '@aws-sdk/client-sqs';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { sampleScore, sampleScoredCalls, sampleTranscript } from '../../lambdas/backoffice/sampleCalls.js';
import {
  createTenant,
  issueApiKey,
  listApiKeys,
  requireTenant,
  revokeApiKey,
  rotateApiKey,
  setTenantStatus,
  showTenant,
  tenantUsage,
  updateTenant,
  type AdministrationPorts,
} from '../../lambdas/backoffice/tenantAdministration.js';
import { parseCallEvent } from '../../lambdas/domain/callEvents.js';
import { noMetrics, type Clock } from '../../lambdas/domain/ports.js';
import { parseScoredCallReport, type TenantRecord } from '../../lambdas/domain/records.js';
import { apiModes, type ApiMode } from '../../lambdas/domain/testMode.js';
import { createSqsDeadLetters } from '../../lambdas/queue/sqsDeadLetters.js';
import { createSqsEventQueue } from '../../lambdas/queue/sqsEventQueue.js';
import { importScoredCalls } from '../../lambdas/store/calls/importer.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import type { Table } from '../../lambdas/store/table.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { parseDuration } from '../../lambdas/domain/durations.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { publicJwks } from '../../lambdas/tokens/ticketKeys.js';
import { progressBar } from './progress.js';
import { UsageError } from './usageError.js';

export interface CommandContext {
  readonly table: Table;
  /** Whether the table is on DynamoDB Local (the local run's, or `--endpoint URL`): local rules apply. */
  readonly local: boolean;
  /** The events queue (connected on first use). */
  readonly queue: () => { readonly sqs: SQSClient; readonly queueUrl: string };
  readonly clock: Clock;
  readonly actor: string;
  readJsonFile(path: string): unknown;
  /** Everything piped to the command (a key set is never passed as an argument, where shells keep it). */
  readStdin(): Promise<string>;
  /** Whether to draw progress on stderr. */
  readonly progress: boolean;
}

export type Values = Record<string, string | string[] | boolean | undefined>;

export interface Command {
  /** The command's own options; the connection and output options are always allowed. */
  readonly options: readonly string[];
  run(context: CommandContext, values: Values): Promise<{ data: Record<string, unknown>; text: string }>;
}

export const required = (values: Values, name: string): string => {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} is required`);
  return value;
};

export const wholeNumber = (values: Values, name: string): number | undefined => {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number`);
  return Number(value);
};

const month = (values: Values, clock: Clock): string => {
  const value = (values.month as string | undefined) ?? clock.now().toISOString().slice(0, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new UsageError('--month must look like 2026-06');
  return value;
};

const portsOf = (context: CommandContext): AdministrationPorts => ({
  tenants: createTenantStore(context.table),
  clock: context.clock,
  actor: context.actor,
});

export const lines = (pairs: Record<string, unknown>) =>
  Object.entries(pairs)
    .map(
      ([name, value]) =>
        `${`${name}:`.padEnd(22)} ${value === null || value === undefined ? '—' : Array.isArray(value) ? value.join(', ') || '—' : String(value)}`,
    )
    .join('\n');

export const table = (rows: Record<string, unknown>[], columns: string[]): string => {
  if (rows.length === 0) return '(none)';
  const cell = (value: unknown) =>
    value === null || value === undefined ? '—' : Array.isArray(value) ? value.join(',') || '—' : String(value);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const format = (cells: string[]) =>
    cells
      .map((text, i) => text.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(columns), ...rows.map((row) => format(columns.map((column) => cell(row[column]))))].join('\n');
};

const tenantText = (tenant: TenantRecord) =>
  lines({
    tenantId: tenant.tenantId,
    name: tenant.name,
    status: tenant.status,
    'monthly quota': tenant.monthlySessionQuota ?? 'none',
    'allowed IPs': tenant.allowedCidrs.length > 0 ? tenant.allowedCidrs : 'any',
    created: tenant.createdAt,
    updated: tenant.updatedAt,
  });

const tenantResult = (tenant: TenantRecord) => ({ data: { ...tenant }, text: tenantText(tenant) });

const keyColumns = ['keyId', 'mode', 'label', 'displayPrefix', 'status', 'createdAt', 'lastUsedAt', 'expiresAt'];

const modeOf = (values: Values): ApiMode => {
  const mode = (values.mode as string | undefined) ?? 'live';
  if (!(apiModes as readonly string[]).includes(mode)) throw new UsageError(`--mode must be ${apiModes.join(' or ')}`);
  return mode as ApiMode;
};

const deadLetterColumns = ['messageId', 'setAsideAt', 'type', 'eventId', 'callId', 'reason'];

/** A key set piped in, checked as the functions check it when they load it. */
const keySetFromStdin = async (context: CommandContext) =>
  parseKeySet('the key set on stdin', await context.readStdin());

export const commands: Record<string, Command> = {
  'tenant create': {
    options: ['name', 'quota', 'allow-ip'],
    async run(context, values) {
      const tenant = await createTenant(portsOf(context), {
        name: required(values, 'name'),
        monthlySessionQuota: wholeNumber(values, 'quota') ?? null,
        allowedCidrs: (values['allow-ip'] as string[] | undefined) ?? [],
      });
      return tenantResult(tenant);
    },
  },

  'tenant list': {
    options: [],
    async run(context) {
      const tenants = await createTenantStore(context.table).listTenants();
      return {
        data: { tenants },
        text: table(
          tenants.map((tenant) => ({
            ...tenant,
            quota: tenant.monthlySessionQuota ?? 'none',
            allowed: tenant.allowedCidrs.length > 0 ? tenant.allowedCidrs : 'any',
          })),
          ['tenantId', 'name', 'status', 'quota', 'allowed', 'createdAt'],
        ),
      };
    },
  },

  'tenant show': {
    options: ['tenant', 'month'],
    async run(context, values) {
      const shown = await showTenant(portsOf(context), {
        tenantId: required(values, 'tenant'),
        month: month(values, context.clock),
      });
      return {
        data: shown,
        text: [
          tenantText(shown.tenant),
          lines({ [`sessions ${shown.usage.month}`]: shown.usage.sessionsMinted }),
          '',
          'API keys',
          table(shown.keys, keyColumns),
          '',
          'Audit (newest first)',
          table(
            shown.audit.map((entry) => ({ ...entry, details: JSON.stringify(entry.details) })),
            ['at', 'actor', 'action', 'details'],
          ),
        ].join('\n'),
      };
    },
  },

  'tenant update': {
    options: ['tenant', 'quota', 'allow-ip', 'clear-allowlist'],
    async run(context, values) {
      const quota = wholeNumber(values, 'quota');
      const tenant = await updateTenant(portsOf(context), {
        tenantId: required(values, 'tenant'),
        ...(quota === undefined ? {} : { monthlySessionQuota: quota }),
        allowedCidrs: (values['allow-ip'] as string[] | undefined) ?? [],
        clearAllowlist: values['clear-allowlist'] === true,
      });
      return tenantResult(tenant);
    },
  },

  'tenant deactivate': {
    options: ['tenant'],
    async run(context, values) {
      return tenantResult(
        await setTenantStatus(portsOf(context), { tenantId: required(values, 'tenant'), status: 'inactive' }),
      );
    },
  },

  'tenant activate': {
    options: ['tenant'],
    async run(context, values) {
      return tenantResult(
        await setTenantStatus(portsOf(context), { tenantId: required(values, 'tenant'), status: 'active' }),
      );
    },
  },

  'key create': {
    options: ['tenant', 'label', 'mode'],
    async run(context, values) {
      const mode = modeOf(values);
      const { apiKey, record } = await issueApiKey(portsOf(context), {
        tenantId: required(values, 'tenant'),
        label: (values.label as string | undefined) ?? null,
        mode,
      });
      return {
        data: {
          keyId: record.keyId,
          apiKey,
          mode,
          tenantId: record.tenantId,
          label: record.label,
          displayPrefix: record.displayPrefix,
          createdAt: record.createdAt,
        },
        text: `${lines({ keyId: record.keyId, tenantId: record.tenantId, mode, label: record.label })}\n\nAPI key (shown this once; only its hash is stored${mode === 'test' ? '; it sees test-mode data only, and its calls are simulated' : ''}):\n  ${apiKey}`,
      };
    },
  },

  'key list': {
    options: ['tenant'],
    async run(context, values) {
      const keys = await listApiKeys(portsOf(context), { tenantId: required(values, 'tenant') });
      return {
        data: { keys },
        text: table(
          keys.map((key) => ({ ...key, mode: key.mode ?? 'live' })),
          keyColumns,
        ),
      };
    },
  },

  'key revoke': {
    options: ['key'],
    async run(context, values) {
      const { keyHash: _hash, ...key } = await revokeApiKey(portsOf(context), { keyId: required(values, 'key') });
      return {
        data: key,
        text: `${lines({ keyId: key.keyId, status: key.status, revoked: key.revokedAt })}\nIt answers API_KEY_REVOKED from now on.`,
      };
    },
  },

  'key rotate': {
    options: ['key', 'overlap'],
    async run(context, values) {
      const overlapText = (values.overlap as string | undefined) ?? '24h';
      const overlapMs = parseDuration(overlapText);
      if (overlapMs === undefined) throw new UsageError('--overlap must be a duration such as 30m, 24h or 7d');
      const { apiKey, record, previous } = await rotateApiKey(portsOf(context), {
        keyId: required(values, 'key'),
        overlapMs,
      });
      return {
        data: {
          keyId: record.keyId,
          apiKey,
          tenantId: record.tenantId,
          previousKeyId: previous.keyId,
          previousKeyExpiresAt: previous.expiresAt,
        },
        text: `${lines({ keyId: record.keyId, replaces: previous.keyId, 'old key works until': previous.expiresAt })}\n\nNew API key (shown this once; only its hash is stored):\n  ${apiKey}`,
      };
    },
  },

  usage: {
    options: ['tenant', 'month'],
    async run(context, values) {
      const usage = await tenantUsage(portsOf(context), {
        tenantId: required(values, 'tenant'),
        month: month(values, context.clock),
      });
      return {
        data: usage,
        text: lines({
          tenantId: usage.tenantId,
          month: usage.month,
          'sessions minted': usage.sessionsMinted,
          quota: usage.monthlySessionQuota ?? 'none',
          remaining: usage.remaining ?? 'unlimited',
        }),
      };
    },
  },

  'call complete': {
    options: ['call', 'transcript', 'score', 'ended-at', 'duration'],
    async run(context, values) {
      const callId = required(values, 'call');
      const endedAt = values['ended-at'] === undefined ? context.clock.now() : new Date(String(values['ended-at']));
      if (Number.isNaN(endedAt.getTime())) throw new UsageError('--ended-at must be an ISO 8601 time');
      const durationMs = parseDuration((values.duration as string | undefined) ?? '7m');
      if (durationMs === undefined) throw new UsageError('--duration must be a duration such as 7m or 1h5m');
      const calls = createCallStore(context.table);
      const call = await calls.findCall(callId);
      const report = parseScoredCallReport({
        callId,
        startedAt: new Date(endedAt.getTime() - durationMs).toISOString(),
        endedAt: endedAt.toISOString(),
        transcript:
          values.transcript === undefined
            ? sampleTranscript(call?.personaName ?? 'the prospect')
            : context.readJsonFile(String(values.transcript)),
        score: values.score === undefined ? sampleScore() : context.readJsonFile(String(values.score)),
      });
      await completeCall({ calls, clock: context.clock, metrics: noMetrics }, report);
      const scored = await calls.findCall(callId);
      const data = {
        callId,
        status: scored?.status,
        endedAt: scored?.endedAt,
        durationSec: scored?.durationSec,
        overallScore: scored?.score?.overallScore,
      };
      return { data, text: lines(data) };
    },
  },

  'signing-keys check': {
    options: [],
    async run(context) {
      const keys = await keySetFromStdin(context);
      const [current, ...previous] = keys.all.map((key) => key.kid);
      return {
        data: { kid: current, previous },
        text: `A valid key set: "${current}" signs${previous.length > 0 ? `; ${previous.map((kid) => `"${kid}"`).join(', ')} still verify` : ''}.`,
      };
    },
  },

  'signing-keys jwks': {
    options: [],
    async run(context) {
      const jwks = publicJwks(await keySetFromStdin(context));
      return { data: jwks, text: JSON.stringify(jwks, null, 2) };
    },
  },

  'calls seed': {
    options: ['tenant', 'count', 'user', 'agency'],
    async run(context, values) {
      const tenantId = required(values, 'tenant');
      const count = wholeNumber(values, 'count');
      if (count === undefined || count < 1 || count > 1_000_000)
        throw new UsageError('--count must be from 1 to 1,000,000');
      await requireTenant(createTenantStore(context.table), tenantId);
      const calls = sampleScoredCalls({
        tenantId,
        count,
        now: context.clock.now(),
        ...(values.user === undefined ? {} : { externalUserId: String(values.user) }),
        ...(values.agency === undefined ? {} : { externalAgencyId: String(values.agency) }),
      });
      const started = Date.now();
      const bar = context.progress ? progressBar(count, 'Seeding calls') : undefined;
      await importScoredCalls(context.table, calls, { onProgress: (written) => bar?.update(written) });
      bar?.finish(count);
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      return {
        data: { tenantId, count, seconds },
        text: `Seeded ${count.toLocaleString('en-US')} scored calls for ${tenantId} in ${seconds} s.`,
      };
    },
  },

  'events send': {
    options: ['file', 'queue-url'],
    async run(context, values) {
      const path = required(values, 'file');
      const content = context.readJsonFile(path);
      const events = Array.isArray(content) ? content : [content];
      if (events.length === 0) throw new UsageError(`${path} holds no event`);
      const bodies = events.map((event, i) => {
        const body = JSON.stringify(event);
        const parsed = parseCallEvent(body);
        if ('reason' in parsed) {
          throw new UsageError(
            `${events.length > 1 ? `event ${i + 1} of ${path}` : path} is not a valid call event: ${parsed.reason}`,
          );
        }
        return { body, event: parsed.event };
      });
      const { sqs, queueUrl } = context.queue();
      await createSqsEventQueue(sqs, queueUrl).send(bodies);
      const sent = bodies.map(({ event }) => ({ id: event.id, type: event.type, callId: event.callId }));
      return {
        data: { queueUrl, sent },
        text: `Sent ${sent.length} event${sent.length === 1 ? '' : 's'} to ${queueUrl}:\n${table(sent, ['type', 'id', 'callId'])}\nThe consumer records them within seconds; anything it sets aside shows in \`events dead-letters\`.`,
      };
    },
  },

  'events dead-letters': {
    options: ['queue-url'],
    async run(context) {
      const { sqs, queueUrl } = context.queue();
      const deadLetters = await createSqsDeadLetters(sqs, queueUrl).list();
      return {
        data: { queueUrl, deadLetters },
        text:
          deadLetters.length === 0
            ? 'No dead letters: every event was recorded.'
            : `${table(
                deadLetters.map((letter) => ({ ...letter })),
                deadLetterColumns,
              )}\n\nFix the cause, then \`events redrive\` (all) or \`events redrive --message ID\`.`,
      };
    },
  },

  'events redrive': {
    options: ['queue-url', 'message'],
    async run(context, values) {
      const { sqs, queueUrl } = context.queue();
      const messageIds = values.message as string[] | undefined;
      let bar: ReturnType<typeof progressBar> | undefined;
      const redriven = await createSqsDeadLetters(sqs, queueUrl).redrive({
        ...(messageIds ? { messageIds } : {}),
        onProgress: (done, total) => {
          if (context.progress) (bar ??= progressBar(total, 'Redriving')).update(done);
        },
      });
      bar?.finish(redriven.length);
      const missing = (messageIds ?? []).filter((id) => !redriven.some((letter) => letter.messageId === id));
      if (missing.length > 0 && redriven.length === 0) {
        throw new UsageError(`no dead letter has the message id ${missing.join(', ')}`);
      }
      return {
        data: { queueUrl, redriven, missing },
        text: `Sent ${redriven.length} dead letter${redriven.length === 1 ? '' : 's'} back to ${queueUrl}.${missing.length > 0 ? ` Not found: ${missing.join(', ')}.` : ''}`,
      };
    },
  },
};
