import { createLogger, parseLogThreshold } from '../../lambdas/observability/log.js';

const capture = () => {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line), parsed: () => lines.map((line) => JSON.parse(line)) };
};

describe('the logger', () => {
  it('writes one JSON object per line: timestamp, level and message first, then its fields', () => {
    const out = capture();
    createLogger('info', out.write).info('request', { status: 200, durationMs: 12 });

    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]?.endsWith('}\n')).toBe(true);
    const [line] = out.parsed();
    expect(Object.keys(line)).toEqual(['timestamp', 'level', 'message', 'status', 'durationMs']);
    expect(line).toMatchObject({ level: 'info', message: 'request', status: 200, durationMs: 12 });
    // RFC 3339, which Lambda needs to keep the line's own time and level.
    expect(line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('adds the fields a child is bound to, to every line of the child only', () => {
    const out = capture();
    const logger = createLogger('info', out.write);
    const child = logger.child({ requestId: 'req_1' }).child({ tenantId: 'tnt_1' });

    child.warn('slow');
    logger.info('plain');

    expect(out.parsed()).toEqual([
      expect.objectContaining({ level: 'warn', message: 'slow', requestId: 'req_1', tenantId: 'tnt_1' }),
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
  });

  it('writes nothing below its threshold, and nothing at all when silent', () => {
    const out = capture();
    const logger = createLogger('warn', out.write);
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    const silent = createLogger('silent', out.write);
    silent.error('e');

    expect(out.parsed().map((line) => line.message)).toEqual(['c', 'd']);
    expect([logger.enabled('info'), logger.enabled('warn'), silent.enabled('error')]).toEqual([false, true, false]);
  });

  it.each([
    ['TRACE', 'debug'],
    ['DEBUG', 'debug'],
    ['INFO', 'info'],
    ['warn', 'warn'],
    [' Error ', 'error'],
    ['FATAL', 'error'],
    ['silent', 'silent'],
    ['verbose', undefined],
    ['', undefined],
    ['toString', undefined],
  ])('reads the level %j as %j', (text, threshold) => {
    expect(parseLogThreshold(text)).toBe(threshold);
  });
});
