import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of DynamoDB Local that can misbehave the way a network does: hold a request
 * and never answer it, or pass a request on and lose its answer. It judges each request by its
 * `X-Amz-Target` header (the DynamoDB operation), read from the start of the request.
 */
export type Fault = 'stall' | 'lose-answer';

export interface FaultRule {
  /** Operations it applies to (e.g. `UpdateItem`); all when omitted. */
  readonly operations?: readonly string[];
  readonly fault: Fault;
  /** How many requests it applies to; every matching one when omitted. */
  readonly times?: number;
}

export const startStallingProxy = async (target: string) => {
  const { hostname, port } = new URL(target);
  let rule: (FaultRule & { used: number }) | undefined;
  const sockets = new Set<Socket>();
  let requests = 0;

  /** What to do with a request whose first bytes are `head`. */
  const judge = (head: string): Fault | 'forward' => {
    requests += 1;
    if (!rule) return 'forward';
    const operation = /x-amz-target:\s*DynamoDB_\d+\.(\w+)/i.exec(head)?.[1] ?? '';
    if (rule.operations && !rule.operations.includes(operation)) return 'forward';
    if (rule.times !== undefined && rule.used >= rule.times) return 'forward';
    rule.used += 1;
    return rule.fault;
  };

  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let mode: Fault | 'forward' = 'forward';
    client.on('data', (chunk: Buffer) => {
      // A request starts with its request line; its headers arrive with it.
      if (/^[A-Z]+ \S+ HTTP\/1\.1\r\n/.test(chunk.toString('latin1', 0, 64))) mode = judge(chunk.toString('latin1'));
      if (mode !== 'stall') upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (mode === 'forward') client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no address');

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    /** From now on, requests matching the rule misbehave; others pass. */
    misbehave: (next: FaultRule) => {
      rule = { ...next, used: 0 };
    },
    /** Everything passes again (requests already held stay held until their client gives up). */
    behave: () => {
      rule = undefined;
    },
    /** How many requests reached the proxy so far. */
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

export type StallingProxy = Awaited<ReturnType<typeof startStallingProxy>>;
