import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
  SystemLogLevel,
  Tracing,
  type CfnFunction,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { handlerBundling } from '../handlerBundling.js';

export interface ApiFunctionProps {
  /** The handler module (a file of `lambdas/handlers/`). */
  readonly entry: string;
  readonly environment: Record<string, string>;
  /** How long its log group keeps logs. */
  readonly logRetention: RetentionDays;
  /**
   * Memory, and with it CPU: at 512 MB a cold start parses the bundle and imports keys about twice
   * as fast as at 256 MB, for pennies per million requests.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * The queue consumers run longer than a request may.
   * @default 10 seconds
   */
  readonly timeout?: Duration;
  /**
   * Whether it reads signing keys, through the Parameters and Secrets extension.
   * @default true
   */
  readonly readsSecrets?: boolean;
}

/** What every function of a stage logs at, and where it writes its business metrics. */
export interface FunctionObservability {
  /**
   * The application log level: Lambda keeps only JSON lines at this level or above, and tells the
   * handler (`AWS_LAMBDA_LOG_LEVEL`), which then does not write the others.
   */
  readonly logLevel: ApplicationLogLevel;
  readonly metricsNamespace: string;
}

/**
 * Every Lambda default of the API in one place: Node.js 24 on arm64 (cheaper per ms, and the
 * bundles have no native code), the shared esbuild options, JSON logs with a retention, X-Ray
 * active tracing, and the Parameters and Secrets extension through which handlers read their keys.
 *
 * The timeout is 10 s: DynamoDB calls give up after three attempts of 1.5 s, Middy answers 1 s
 * before the timeout, and all of it stays well inside API Gateway's 29 s, so the caller always gets
 * our envelope. Handlers never log events (they hold API keys and tokens); the log level only says
 * how much of our own structured lines are kept.
 */
export class ApiFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write to its own log group only (not AWS's broad basic-execution policy).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      bundling: handlerBundling,
      environment: props.environment,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      // Lambda records each invocation's segment; the handlers add their AWS calls to it.
      tracing: Tracing.ACTIVE,
      ...(props.readsSecrets === false
        ? {}
        : {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
              cacheSize: 10,
              secretsManagerTtl: Duration.minutes(5),
              logLevel: ParamsAndSecretsLogLevel.WARN,
            }),
          }),
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray’s PutTraceSegments and PutTelemetryRecords take no resource: active tracing needs `*`.',
    });
  }

  /**
   * The stage's log level and metrics namespace. The stack gives them to every function it holds
   * (`athosExternalApiStack.ts`), so a construct that adds a function need not pass them along.
   */
  observe({ logLevel, metricsNamespace }: FunctionObservability): void {
    this.addEnvironment('METRICS_NAMESPACE', metricsNamespace);
    (this.node.defaultChild as CfnFunction).addPropertyOverride('LoggingConfig.ApplicationLogLevel', logLevel);
  }
}
