import { createEmfWebhookMetrics } from '../../lambdas/backoffice/webhooks/emfMetrics.js';
import { createMetricsRecorder, type EmfDocument } from '../../lambdas/observability/emf.js';
import { createLogger } from '../../lambdas/observability/log.js';

const at = new Date('2026-06-05T18:00:00Z');

/** The checks CloudWatch applies before it takes metrics out of a log line. */
const expectValidEmf = (document: EmfDocument) => {
  expect(document._aws.Timestamp).toBe(at.getTime());
  expect(document._aws.CloudWatchMetrics.length).toBeGreaterThan(0);
  for (const directive of document._aws.CloudWatchMetrics) {
    expect(directive.Namespace).toBe('AthosExternalApi/test');
    // A dimension per tenant would make a metric per tenant: per-tenant figures come from the logs.
    expect(directive.Dimensions.flat()).not.toContain('tenantId');
    for (const dimensionSet of directive.Dimensions) {
      for (const dimension of dimensionSet) expect(typeof document[dimension]).toBe('string');
    }
    for (const metric of directive.Metrics) expect(typeof document[metric.Name]).toBe('number');
  }
};

describe('the EMF metrics recorder', () => {
  it('writes nothing for a request that counted nothing', () => {
    expect(createMetricsRecorder('AthosExternalApi/test', 'getCall').takeDocuments(at)).toEqual([]);
  });

  it('puts the counts of one request in one document, by operation', () => {
    const recorder = createMetricsRecorder('AthosExternalApi/test', 'listCalls');
    recorder.listRowsReturned(50);
    recorder.listRowsReturned(20);
    recorder.cursorRejected();

    const documents = recorder.takeDocuments(at);

    expect(documents).toHaveLength(1);
    const [document] = documents;
    if (!document) throw new Error('no document');
    expectValidEmf(document);
    expect(document).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [['operation']] }] },
      operation: 'listCalls',
      ListRowsReturned: 70,
      CursorsRejected: 1,
    });
  });

  it('puts a refusal in the same document as the request’s other counts, by operation and code', () => {
    const recorder = createMetricsRecorder('AthosExternalApi/test', 'listCalls');
    recorder.cursorRejected();
    recorder.requestRefused('INVALID_REQUEST');

    const documents = recorder.takeDocuments(at);

    expect(documents).toHaveLength(1);
    const [document] = documents;
    if (!document) throw new Error('no document');
    expectValidEmf(document);
    expect(document._aws.CloudWatchMetrics.map(({ Dimensions, Metrics }) => ({ Dimensions, Metrics }))).toEqual([
      { Dimensions: [['operation']], Metrics: [{ Name: 'CursorsRejected', Unit: 'Count' }] },
      { Dimensions: [['operation', 'code'], ['operation']], Metrics: [{ Name: 'RequestsRefused', Unit: 'Count' }] },
    ]);
    expect(document).toMatchObject({ operation: 'listCalls', code: 'INVALID_REQUEST', RequestsRefused: 1 });
  });

  it('counts refusals by code, each further code in a document of its own', () => {
    const recorder = createMetricsRecorder('AthosExternalApi/test', 'mintSession');
    recorder.requestRefused('TENANT_QUOTA_EXCEEDED');
    recorder.requestRefused('TENANT_QUOTA_EXCEEDED');
    recorder.requestRefused('IP_NOT_ALLOWED');

    const documents = recorder.takeDocuments(at);

    expect(documents).toHaveLength(2);
    for (const document of documents) {
      expectValidEmf(document);
      expect(document._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['operation', 'code'], ['operation']]);
    }
    expect(documents.map(({ code, RequestsRefused }) => ({ code, RequestsRefused }))).toEqual([
      { code: 'TENANT_QUOTA_EXCEEDED', RequestsRefused: 2 },
      { code: 'IP_NOT_ALLOWED', RequestsRefused: 1 },
    ]);
  });

  it('names every hook for the features that count their own events', () => {
    const recorder = createMetricsRecorder('AthosExternalApi/test', 'backOffice');
    recorder.sessionMinted();
    recorder.sessionRedeemed();
    recorder.callScored();
    recorder.eventSetAside();
    recorder.eventSetAside();

    const [document] = recorder.takeDocuments(at);

    expect(document).toMatchObject({
      SessionsMinted: 1,
      SessionsRedeemed: 1,
      CallsScored: 1,
      EventsSetAside: 2,
    });
  });

  it('starts again from zero once the documents are taken', () => {
    const recorder = createMetricsRecorder('AthosExternalApi/test', 'mintSession');
    recorder.sessionMinted();
    recorder.takeDocuments(at);

    expect(recorder.takeDocuments(at)).toEqual([]);
  });
});

describe('the webhook sender’s metrics', () => {
  it('go to the stage’s namespace under the sender’s operation, like every other metric', () => {
    const lines: string[] = [];
    const metrics = createEmfWebhookMetrics(
      createLogger('info', (line) => lines.push(line)),
      'AthosExternalApi/test',
    );

    metrics.delivered(1200);
    metrics.endpointDisabled('410 Gone');

    const documents = lines.map((line) => JSON.parse(line) as EmfDocument);
    expect(documents).toHaveLength(2);
    for (const document of documents) {
      expect(document._aws.CloudWatchMetrics).toEqual([
        expect.objectContaining({ Namespace: 'AthosExternalApi/test', Dimensions: [['operation']] }),
      ]);
      expect(document.operation).toBe('deliverWebhook');
    }
    expect(documents[0]).toMatchObject({ Delivered: 1, EventToDeliveredLatency: 1200 });
    expect(documents[1]).toMatchObject({ EndpointsDisabled: 1, reason: '410 Gone' });
  });
});
