import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';

/**
 * X-Ray subsegments for the calls a function makes to AWS, written by hand to the X-Ray daemon
 * that Lambda runs beside every actively traced function.
 *
 * Lambda itself records each invocation's segment; what it cannot see is where the time went
 * inside. The X-Ray SDK (and Powertools Tracer, built on it) would add over 100 KB to every bundle
 * (docs/observability.md has the measurements); the protocol it speaks is one UDP datagram per
 * subsegment, a JSON header line then the document, which this module writes itself. Nothing is
 * sent unless the invocation is sampled and the daemon's address is set, so local runs and tests
 * send nothing.
 */

interface TraceHeader {
  /** The trace id (`1-…-…`), the one the X-Ray console searches by. */
  readonly root: string;
  /** The segment Lambda opened for this invocation: the parent of our subsegments. */
  readonly parent: string | undefined;
  readonly sampled: boolean;
}

interface LambdaGlobal {
  awslambda?: { InvokeStore?: { getXRayTraceId?(): string | undefined } };
}

/**
 * The invocation's trace header. The runtime keeps it per invocation in its invoke store where it
 * has one (needed when invocations share a process), and in `_X_AMZN_TRACE_ID` otherwise.
 */
const currentTraceHeader = (): TraceHeader | undefined => {
  const header =
    (globalThis as LambdaGlobal).awslambda?.InvokeStore?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID;
  if (!header) return undefined;
  const parts = new Map(header.split(';').map((part) => part.split('=', 2) as [string, string | undefined]));
  const root = parts.get('Root');
  return root ? { root, parent: parts.get('Parent'), sampled: parts.get('Sampled') === '1' } : undefined;
};

/** The X-Ray trace id of the running invocation, for log lines; undefined outside a traced one. */
export const currentTraceId = (): string | undefined => currentTraceHeader()?.root;

/** `AWS_XRAY_DAEMON_ADDRESS` is `host:port`, or `udp:host:port tcp:host:port`. */
const daemonAddress = (): { host: string; port: number } | undefined => {
  const setting = process.env.AWS_XRAY_DAEMON_ADDRESS;
  if (!setting) return undefined;
  const udp = setting.split(' ').find((part) => !part.startsWith('tcp:')) ?? '';
  const match = /^(?:udp:)?(.+):(\d+)$/.exec(udp);
  return match?.[1] && match[2] ? { host: match[1], port: Number(match[2]) } : undefined;
};

/** Where to send, when this invocation is traced. */
const activeTrace = () => {
  const daemon = daemonAddress();
  const trace = daemon && currentTraceHeader();
  return daemon && trace?.sampled && trace.parent ? { daemon, trace } : undefined;
};

let socket: Socket | undefined;
const sendToDaemon = (daemon: { host: string; port: number }, document: object) => {
  if (!socket) {
    // Loaded on the first traced call, not at import: node:dgram costs every cold start ~1.5 ms,
    // and an untraced function never sends.
    socket = process.getBuiltinModule('node:dgram').createSocket('udp4');
    // Tracing must never fail or hold up a request: a lost datagram is a lost subsegment.
    socket.on('error', () => undefined);
    socket.unref();
  }
  socket.send(`{"format":"json","version":1}\n${JSON.stringify(document)}`, daemon.port, daemon.host);
};

const newId = () => randomBytes(8).toString('hex');
const nowInSeconds = () => (performance.timeOrigin + performance.now()) / 1000;

/** One finished subsegment of the invocation's segment: the ids and times X-Ray needs, then `fields`. */
const sendSubsegment = (
  active: NonNullable<ReturnType<typeof activeTrace>>,
  id: string,
  name: string,
  startTime: number,
  fields: object,
) =>
  sendToDaemon(active.daemon, {
    id,
    name,
    trace_id: active.trace.root,
    parent_id: active.trace.parent,
    type: 'subsegment',
    namespace: 'aws',
    start_time: startTime,
    end_time: nowInSeconds(),
    ...fields,
  });

interface CallOutcome {
  readonly status?: number | undefined;
  readonly error?: unknown;
}

/** The X-Ray error flags: `throttle` and `error` for 429, `error` for 4xx, `fault` for 5xx or no answer. */
const outcomeFields = ({ status, error }: CallOutcome) => {
  const name = (error as { name?: unknown } | undefined)?.name;
  const throttled = status === 429 || (typeof name === 'string' && /throttl/i.test(name));
  const fault = !throttled && (status === undefined ? error !== undefined : status >= 500);
  return {
    ...(status === undefined ? {} : { http: { response: { status } } }),
    ...(throttled || (status !== undefined && status >= 400 && status < 500) ? { error: true } : {}),
    ...(throttled ? { throttle: true } : {}),
    ...(fault ? { fault: true } : {}),
    ...(error instanceof Error
      ? { cause: { exceptions: [{ id: newId(), type: error.name, message: error.message, remote: true }] } }
      : {}),
  };
};

interface SubsegmentSpec {
  readonly name: string;
  readonly aws?: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Runs `work` as a subsegment of the invocation's segment (when traced): for calls that do not go
 * through an AWS SDK client, such as secrets read through the Lambda extension.
 */
export const traceCall = async <T>(
  spec: SubsegmentSpec,
  work: () => Promise<T>,
  statusOf: (result: T) => number | undefined = () => undefined,
): Promise<T> => {
  const active = activeTrace();
  if (!active) return work();
  const id = newId();
  const startTime = nowInSeconds();
  const send = (outcome: CallOutcome) =>
    sendSubsegment(active, id, spec.name, startTime, {
      ...(spec.aws ? { aws: spec.aws } : {}),
      ...(spec.metadata ? { metadata: { athos: spec.metadata } } : {}),
      ...outcomeFields(outcome),
    });
  try {
    const result = await work();
    send({ status: statusOf(result) });
    return result;
  } catch (error) {
    send({ status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, error });
    throw error;
  }
};

interface SdkMetadata {
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string; readonly attempts?: number };
}
type SdkHandler = (args: { input: object; request: unknown }) => Promise<{ output: SdkMetadata }>;
interface TraceableClient {
  readonly middlewareStack: {
    add(
      middleware: (next: SdkHandler, context: { clientName?: string; commandName?: string }) => SdkHandler,
      options: { step: 'build'; name: string; override: boolean },
    ): void;
  };
  readonly config: { readonly region: string | (() => Promise<string>) };
}

/** Table names the call names, as the X-Ray SDK records them for DynamoDB. */
const tablesOf = (input: object): Record<string, unknown> => {
  const { TableName, RequestItems } = input as { TableName?: unknown; RequestItems?: unknown };
  if (typeof TableName === 'string') return { table_name: TableName };
  if (RequestItems && typeof RequestItems === 'object') return { table_names: Object.keys(RequestItems) };
  return {};
};

/**
 * Records every call of this SDK client (DynamoDB, SQS, …) as a subsegment named for its service,
 * with the operation, the AWS request id and retries, the table, and the error flags; and passes the
 * subsegment on in `X-Amzn-Trace-Id`, so a service that continues traces (SQS) links to it. At the
 * build step, outside the SDK's retries: one subsegment per call, its attempts included.
 */
export const traceAwsCalls = <Client extends TraceableClient>(client: Client): Client => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const active = activeTrace();
      if (!active) return next(args);
      const id = newId();
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers) request.headers['X-Amzn-Trace-Id'] = `Root=${active.trace.root};Parent=${id};Sampled=1`;
      const region = typeof client.config.region === 'string' ? client.config.region : await client.config.region();
      const startTime = nowInSeconds();
      const send = (metadata: SdkMetadata['$metadata'], error?: unknown) =>
        sendSubsegment(active, id, (context.clientName ?? 'AWS').replace(/Client$/, ''), startTime, {
          aws: {
            operation: (context.commandName ?? '').replace(/Command$/, ''),
            region,
            ...(metadata?.requestId ? { request_id: metadata.requestId } : {}),
            retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
            ...tablesOf(args.input),
          },
          ...outcomeFields({ status: metadata?.httpStatusCode, error }),
        });
      try {
        const result = await next(args);
        send(result.output.$metadata);
        return result;
      } catch (error) {
        send((error as SdkMetadata).$metadata, error);
        throw error;
      }
    },
    { step: 'build', name: 'athosXRaySubsegment', override: true },
  );
  return client;
};
