import type { ErrorCode } from '../domain/errors.js';
import type { BusinessMetrics } from '../domain/ports.js';
import { metricDimensions, metricNames, type MetricName } from './metricCatalog.js';

/**
 * CloudWatch embedded metric format: a log line whose `_aws` member tells CloudWatch which of its
 * top-level numbers to publish as metrics, under which namespace and dimensions. No API call, no
 * client in the bundle: the line is the metric. (Powertools Metrics writes the same documents for
 * ~15 KB of bundle; these few lines are all this API needs of it.)
 */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: MetricName; readonly Unit: 'Count' }[];
    }[];
  };
  readonly [member: string]: unknown;
}

/** The port's adapter: counts during one request (or one message), then hands the documents over. */
export interface MetricsRecorder extends BusinessMetrics {
  /** What was counted since the last call, as EMF documents (none when nothing was), and a fresh start. */
  takeDocuments(now?: Date): EmfDocument[];
}

export const createMetricsRecorder = (namespace: string, operation: string): MetricsRecorder => {
  let counts = new Map<MetricName, number>();
  let refusals = new Map<ErrorCode, number>();
  const add = (name: MetricName, value: number) => counts.set(name, (counts.get(name) ?? 0) + value);
  const directive = (dimensions: string[][], names: MetricName[]) => ({
    Namespace: namespace,
    Dimensions: dimensions,
    Metrics: names.map((name) => ({ Name: name, Unit: 'Count' as const })),
  });
  const documentOf = (
    now: Date,
    values: ReadonlyMap<MetricName, number>,
    refusal: [ErrorCode, number] | undefined,
  ): EmfDocument => ({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        ...(values.size > 0 ? [directive([[metricDimensions.operation]], [...values.keys()])] : []),
        // By code, and also summed over codes per operation.
        ...(refusal
          ? [
              directive(
                [[metricDimensions.operation, metricDimensions.code], [metricDimensions.operation]],
                [metricNames.requestsRefused],
              ),
            ]
          : []),
      ],
    },
    [metricDimensions.operation]: operation,
    ...Object.fromEntries(values),
    ...(refusal ? { [metricDimensions.code]: refusal[0], [metricNames.requestsRefused]: refusal[1] } : {}),
  });

  return {
    sessionMinted: () => add(metricNames.sessionsMinted, 1),
    sessionRedeemed: () => add(metricNames.sessionsRedeemed, 1),
    requestRefused: (code) => refusals.set(code, (refusals.get(code) ?? 0) + 1),
    callScored: () => add(metricNames.callsScored, 1),
    eventSetAside: () => add(metricNames.eventsSetAside, 1),
    listRowsReturned: (rows) => add(metricNames.listRowsReturned, rows),
    cursorRejected: () => add(metricNames.cursorsRejected, 1),
    takeDocuments: (now = new Date()) => {
      const refused = [...refusals];
      const documents: EmfDocument[] = [];
      // A document holds one value of `code`: the counts ride with the first refusal (a request
      // is refused once), and any further code, in a batch, gets a document of its own.
      if (counts.size > 0 || refused.length > 0) documents.push(documentOf(now, counts, refused.shift()));
      for (const refusal of refused) documents.push(documentOf(now, new Map(), refusal));
      counts = new Map();
      refusals = new Map();
      return documents;
    },
  };
};
