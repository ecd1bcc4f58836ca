import * as z from 'zod/mini';
import { maxSimulatedCallSeconds } from '../lambdas/backoffice/simulateCall.js';
import { routes } from '../lambdas/http/routes.js';

/**
 * A deployment's settings, from CDK context (`cdk.json`, or `-c athos:<name>=<value>` on the command
 * line). Read once, in `bin/app.ts`, and checked here, so a bad setting stops `cdk synth` with its
 * name instead of surfacing at runtime. Every setting is listed in docs/deploy.md.
 */

const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const operationIds = Object.keys(routes) as [keyof typeof routes, ...(keyof typeof routes)[]];

const throttle = z.object({ rateLimit: z.number().check(z.positive()), burstLimit: z.int().check(z.positive()) });
/** Context given on the command line arrives as text: numbers and JSON are read from it. */
const fromText = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.transform((value: unknown) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }),
    schema,
  );

const stageConfigSchema = z.object({
  stageName: z._default(z.string().check(z.regex(/^[A-Za-z0-9_]{1,64}$/)), 'prod'),
  allowedOrigins: z._default(
    z
      .pipe(
        z.string(),
        z.transform((text) =>
          text
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
        ),
      )
      .check(
        z.refine((origins) => origins.length > 0 && origins.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o))),
      ),
    ['*'],
  ),
  throttling: z._default(fromText(throttle), { rateLimit: 100, burstLimit: 200 }),
  routeThrottling: z._default(fromText(z.partialRecord(z.enum(operationIds), throttle)), {}),
  sessionTokenTtlSeconds: z._default(fromText(z.int().check(z.gte(60), z.lte(900))), 300),
  connectionUrl: z._default(z.url({ protocol: /^wss?$/ }), 'wss://voice.useathos.ai/v1/connect'),
  domainName: z.optional(z.string().check(z.minLength(1))),
  certificateArn: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:acm:/))),
  alarmEmail: z.optional(z.email()),
  webAclArn: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\//))),
  logRetentionDays: z._default(fromText(z.int().check(z.refine((days) => logRetentionDays.includes(days)))), 90),
  /**
   * The functions' application log level: Lambda drops lines below it. Above `info` it also drops
   * the request lines the saved queries read and the metric lines the dashboard and business
   * alarms read (an EMF line is an info line).
   */
  logLevel: z._default(z.enum(['debug', 'info', 'warn', 'error']), 'info'),
  /** Who may send call events: AWS account ids or IAM role ARNs, comma-separated or a JSON array. */
  callEventProducers: z._default(
    z.pipe(
      z.transform((value: unknown) =>
        Array.isArray(value)
          ? value
          : String(value)
              .split(',')
              .map((producer) => producer.trim())
              .filter(Boolean),
      ),
      z.array(z.string().check(z.regex(/^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512})$/))),
    ),
    [],
  ),
  /** How long a simulated test-mode call lasts before its events are sent. */
  simulatedCallSeconds: z._default(fromText(z.int().check(z.gte(0), z.lte(maxSimulatedCallSeconds))), 60),
});

export type StageConfig = z.infer<typeof stageConfigSchema>;

export const stageConfigKeys = Object.keys(stageConfigSchema.shape) as (keyof StageConfig)[];

/**
 * @param context a reader of CDK context, e.g. `(key) => app.node.tryGetContext(key)`
 * @throws Error naming each bad setting
 */
export const readStageConfig = (context: (key: string) => unknown): StageConfig => {
  const raw: Record<string, unknown> = {};
  for (const key of stageConfigKeys) {
    const value = context(`athos:${key}`);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = stageConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => `athos:${issue.path.join('.')}`))];
    throw new Error(`Invalid stage settings in CDK context: ${names.join(', ')}`);
  }
  if ((parsed.data.domainName === undefined) !== (parsed.data.certificateArn === undefined)) {
    throw new Error('Invalid stage settings in CDK context: athos:domainName and athos:certificateArn go together');
  }
  return parsed.data;
};
