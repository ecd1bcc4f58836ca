import {
  AccessLogFormat,
  AuthorizationType,
  ContentHandling,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  ResponseType,
  RestApi,
  type IResource,
  type MethodDeploymentOptions,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { corsPolicy, fixedAllowOrigin } from '../../lambdas/http/cors.js';
import {
  gatewayErrorBody,
  gatewayErrorHeaders,
  gatewayErrors,
  type GatewayErrorType,
} from '../../lambdas/http/gatewayResponses.js';
import type { Route } from '../../lambdas/http/routes.js';
import type { StageConfig } from '../stageConfig.js';

export interface ExternalApiProps {
  readonly routes: readonly Route[];
  /** The handler of each route, by operationId. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly config: StageConfig;
  readonly logRetention: RetentionDays;
}

/** One JSON line per request in the access log: enough to trace a request id, never a credential. */
const accessLogFields = {
  requestId: '$context.requestId',
  sourceIp: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLatencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  errorMessage: '$context.error.message',
  errorType: '$context.error.responseType',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTimeEpoch',
  traceId: '$context.xrayTraceId',
};

/**
 * The public face: a regional REST API whose methods come from the route table, each proxied to its
 * handler. Auth is the handlers' (API keys and session tokens are this product's own), so the
 * methods carry no gateway authorizer. What the gateway answers by itself is shaped into the
 * contract's envelope here, and preflight is answered on the CORS route only.
 */
export class ExternalApi extends Construct {
  readonly api: RestApi;
  /** One JSON line per request, including those the gateway answered by itself. */
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ExternalApiProps) {
    super(scope, id);
    const { config } = props;
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.accessLogs = accessLogs;

    const methodOptions: Record<string, MethodDeploymentOptions> = {};
    for (const route of props.routes) {
      const throttle = config.routeThrottling[route.operationId as keyof StageConfig['routeThrottling']];
      if (throttle) {
        methodOptions[`${route.path}/${route.method}`] = {
          throttlingRateLimit: throttle.rateLimit,
          throttlingBurstLimit: throttle.burstLimit,
        };
      }
    }

    this.api = new RestApi(this, 'Api', {
      restApiName: `athos-external-api-${config.stageName}`,
      description: 'Athos External API: sessions and scored roleplay calls for resellers',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Every request body reaches the handler as the bytes the client sent (base64): otherwise the
      // gateway decodes it as text and bytes that are not UTF-8 arrive as U+FFFD, unnoticed.
      binaryMediaTypes: ['*/*'],
      // Execution logs at ERROR need API Gateway's account-level CloudWatch role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: config.stageName,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
        loggingLevel: MethodLoggingLevel.ERROR,
        // Full request and response logging would write API keys and session tokens to CloudWatch.
        dataTraceEnabled: false,
        metricsEnabled: true,
        // The request's trace starts here; each function adds its segment and its AWS calls.
        tracingEnabled: true,
        throttlingRateLimit: config.throttling.rateLimit,
        throttlingBurstLimit: config.throttling.burstLimit,
        methodOptions,
      },
      ...(config.domainName && config.certificateArn
        ? {
            domainName: {
              domainName: config.domainName,
              certificate: Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn),
              endpointType: EndpointType.REGIONAL,
            },
            // With a custom domain, the execute-api address would be a second, unadvertised door.
            disableExecuteApiEndpoint: true,
          }
        : {}),
    });

    for (const route of props.routes) {
      const handler = props.functions.get(route.operationId);
      if (!handler) throw new Error(`no function for route ${route.operationId}`);
      const resource = this.api.root.resourceForPath(route.path);
      resource.addMethod(route.method, new LambdaIntegration(handler), {
        operationName: route.operationId,
        authorizationType: AuthorizationType.NONE,
      });
      if (route.cors) addPreflight(resource, config.allowedOrigins);
    }

    for (const type of Object.keys(gatewayErrors) as GatewayErrorType[])
      this.addGatewayError(type, config.allowedOrigins);

    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    if (config.webAclArn) {
      new CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: config.webAclArn,
      });
    } else {
      acknowledge(
        'AwsSolutions-APIG3',
        'A WAF web ACL is attached per deployment (athos:webAclArn); throttling guards the API without one.',
      );
    }
    acknowledge(
      'AwsSolutions-APIG2',
      "Each handler validates its input with the contract's schemas and answers in the contract's envelope.",
    );
    acknowledge(
      'AwsSolutions-APIG4',
      'Callers use the product’s own API keys and single-use session tokens, verified in each handler.',
    );
    acknowledge(
      'AwsSolutions-COG4',
      'Resellers are not Cognito users: they hold API keys, and reps hold single-use session tokens.',
    );
    acknowledge(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'API Gateway’s account-level logging role; AWS’s managed policy for it is the documented setup.',
    );
  }

  private addGatewayError(type: GatewayErrorType, allowedOrigins: readonly string[]) {
    const error = gatewayErrors[type];
    const fixedOrigin = fixedAllowOrigin(allowedOrigins);
    const headers: Record<string, string> = {
      // A gateway response cannot join a literal to a variable: this is the bare gateway request id.
      'X-Athos-Request-Id': 'context.requestId',
      'Access-Control-Allow-Origin': fixedOrigin === undefined ? 'method.request.header.Origin' : quoted(fixedOrigin),
      'Access-Control-Expose-Headers': quoted(corsPolicy.exposeHeaders.join(', ')),
    };
    for (const [name, value] of Object.entries(gatewayErrorHeaders(error))) headers[name] = quoted(value);
    this.api.addGatewayResponse(type, {
      type: ResponseType.of(type),
      statusCode: String(error.statusCode),
      responseHeaders: headers,
      templates: { 'application/json': gatewayErrorBody(error, '$context.requestId') },
    });
  }
}

/** A literal in an API Gateway mapping expression. */
const quoted = (value: string) => `'${value}'`;

/**
 * OPTIONS answered by the gateway itself (no Lambda), granting what the redeem handler grants. For
 * a list of origins the mapping template grants the caller's origin only when it is listed.
 */
const addPreflight = (resource: IResource, allowedOrigins: readonly string[]) => {
  const header = (name: string) => `method.response.header.${name}`;
  const staticOrigin = fixedAllowOrigin(allowedOrigins);
  const listCheck = allowedOrigins.map((origin) => `$origin == "${origin}"`).join(' || ');
  const responseParameters: Record<string, string> = {
    [header('Access-Control-Allow-Methods')]: quoted(corsPolicy.allowMethods.join(', ')),
    [header('Access-Control-Allow-Headers')]: quoted(corsPolicy.allowHeaders.join(', ')),
    [header('Access-Control-Expose-Headers')]: quoted(corsPolicy.exposeHeaders.join(', ')),
    [header('Access-Control-Max-Age')]: quoted(String(corsPolicy.maxAgeSeconds)),
    [header('X-Athos-Request-Id')]: 'context.requestId',
    ...(staticOrigin ? { [header('Access-Control-Allow-Origin')]: quoted(staticOrigin) } : {}),
  };
  resource.addMethod(
    'OPTIONS',
    new MockIntegration({
      passthroughBehavior: PassthroughBehavior.NEVER,
      // Every media type is binary (see the API): without this the mock's answer cannot be rendered.
      contentHandling: ContentHandling.CONVERT_TO_TEXT,
      requestTemplates: { 'application/json': '{"statusCode": 204}' },
      integrationResponses: [
        {
          statusCode: '204',
          responseParameters,
          ...(staticOrigin
            ? {}
            : {
                responseTemplates: {
                  'application/json': [
                    '#set($origin = $input.params().header.get("Origin"))',
                    '#if(!$origin)#set($origin = $input.params().header.get("origin"))#end',
                    `#if(${listCheck})`,
                    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
                    '#set($context.responseOverride.header.Vary = "Origin")',
                    '#end',
                  ].join('\n'),
                },
              }),
        },
      ],
    }),
    {
      authorizationType: AuthorizationType.NONE,
      methodResponses: [
        {
          statusCode: '204',
          responseParameters: Object.fromEntries(
            [...Object.keys(responseParameters), header('Access-Control-Allow-Origin'), header('Vary')].map((name) => [
              name,
              true,
            ]),
          ),
        },
      ],
    },
  );
};
