import { invocationReporter } from '../../lambdas/observability/invocation.js';

/** How a queue consumer or a webhook sender reports, with no HTTP around it. */
describe('the invocation reporter', () => {
  const written: string[] = [];
  let stdout: jest.SpyInstance;
  beforeEach(() => {
    written.length = 0;
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    stdout.mockRestore();
    delete process.env._X_AMZN_TRACE_ID;
  });
  const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('binds each invocation’s lines to its ids and operation, cold only the first time', () => {
    process.env._X_AMZN_TRACE_ID = 'Root=1-66a0b1c2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';
    const reporter = invocationReporter('deliverWebhook', {
      logLevel: 'info',
      metricsNamespace: 'AthosExternalApi/test',
    });

    reporter.start({ awsRequestId: 'lambda-1' }).log.info('delivered');
    reporter.start({ awsRequestId: 'lambda-2' }).log.warn('retrying');

    expect(lines()).toEqual([
      expect.objectContaining({
        message: 'delivered',
        awsRequestId: 'lambda-1',
        traceId: '1-66a0b1c2-0123456789abcdef01234567',
        operation: 'deliverWebhook',
        coldStart: true,
      }),
      expect.objectContaining({ level: 'warn', message: 'retrying', awsRequestId: 'lambda-2', coldStart: false }),
    ]);
  });

  it('writes what the invocation counted as one EMF line when it finishes, and nothing when it counted nothing', () => {
    const reporter = invocationReporter('consumeCallEvent', {
      logLevel: 'info',
      metricsNamespace: 'AthosExternalApi/test',
    });
    const counted = reporter.start({ awsRequestId: 'lambda-1' });
    counted.metrics.callScored();
    counted.metrics.eventSetAside();
    reporter.finish(counted);
    reporter.finish(reporter.start({ awsRequestId: 'lambda-2' }));

    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'metrics',
        awsRequestId: 'lambda-1',
        operation: 'consumeCallEvent',
        CallsScored: 1,
        EventsSetAside: 1,
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: 'AthosExternalApi/test' })],
        }),
      }),
    ]);
  });

  it('writes no metric line below its log level, like any info line', () => {
    const reporter = invocationReporter('recordCallEvent', {
      logLevel: 'warn',
      metricsNamespace: 'AthosExternalApi/test',
    });
    const invocation = reporter.start({ awsRequestId: 'lambda-1' });
    invocation.metrics.callScored();
    reporter.finish(invocation);

    expect(written).toEqual([]);
  });
});
