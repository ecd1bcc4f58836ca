import { waitUntilReady, type StartupWatch } from '../../local/dynamodbLocal.js';

/**
 * A DynamoDB Local starting on a busy machine, on a clock that moves only when the wait sleeps: the
 * JVM answers after `answersAfterMs`, or exits at `exitsAfterMs`, or neither.
 */
const startingServer = (behaviour: { answersAfterMs?: number; exitsAfterMs?: number }) => {
  let now = 0;
  const progress: string[] = [];
  const watch: StartupWatch = {
    probe: async () => {
      if (behaviour.answersAfterMs === undefined || now < behaviour.answersAfterMs)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    },
    exited: () => (behaviour.exitsAfterMs !== undefined && now >= behaviour.exitsAfterMs ? 'code 1' : undefined),
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    onProgress: (message) => progress.push(message),
  };
  return { watch, progress, elapsed: () => now };
};

describe('waiting for DynamoDB Local to start', () => {
  it('waits for as long as the process is alive and starting, past 30 s, and says so', async () => {
    const server = startingServer({ answersAfterMs: 75_000 });

    await waitUntilReady(server.watch);

    expect(server.elapsed()).toBeGreaterThanOrEqual(75_000);
    expect(server.progress.length).toBeGreaterThanOrEqual(3);
    expect(server.progress.at(-1)).toMatch(
      /^Still waiting for DynamoDB Local to answer \(\d+ s; its process is running\)…$/,
    );
  });

  it('fails as soon as the process exits, naming how it ended', async () => {
    const server = startingServer({ exitsAfterMs: 4_000 });

    await expect(waitUntilReady(server.watch)).rejects.toThrow('it exited with code 1 before it answered');
    expect(server.elapsed()).toBeLessThan(10_000);
  });

  it('gives up on a process that stays alive but never answers, saying it hangs', async () => {
    const server = startingServer({});

    await expect(waitUntilReady(server.watch)).rejects.toThrow(
      'its process is running but has not answered for 5 minutes; it seems to hang',
    );
  });
});
