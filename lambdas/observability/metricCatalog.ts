/**
 * The business metrics, named once for both sides: the EMF writer emits these names and the
 * dashboard and alarms read them. Every metric has the `operation` dimension (an API route or a
 * back-office step); refusals also have `code`. There is no tenant dimension on purpose.
 */
export const metricNames = {
  sessionsMinted: 'SessionsMinted',
  sessionsRedeemed: 'SessionsRedeemed',
  requestsRefused: 'RequestsRefused',
  callsScored: 'CallsScored',
  eventsSetAside: 'EventsSetAside',
  listRowsReturned: 'ListRowsReturned',
  cursorsRejected: 'CursorsRejected',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];

export const metricDimensions = { operation: 'operation', code: 'code' } as const;

/** One namespace per stage, so two stages in one account never add up in a graph or an alarm. */
export const metricsNamespaceFor = (stageName: string): string => `AthosExternalApi/${stageName}`;
