/**
 * The post-deploy checks of `npm run smoke`: each operation, each list filter (each list index),
 * and each error the gateway itself answers that can be provoked without harm, against a deployed
 * stage. What only a real deploy can tell shows here: IAM conditions (a list index's leading key,
 * redeem's checks), the secrets extension serving the keys, the gateway's own answers and its
 * binary media types.
 */

export type Verdict = { readonly outcome: 'passed' | 'failed' | 'skipped'; readonly detail: string };

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** A check that did not hold: its message is the verdict's detail. */
class Mismatch extends Error {}

const smokeRep = { externalUserId: 'smoke_rep', externalAgencyId: 'smoke_agency' };
/** API Gateway's payload limit is 10 MB; one byte more must be refused by the gateway itself. */
const overLimitBytes = 10 * 1024 * 1024 + 1;
const requestTimeoutMs = 30_000;

export const smokeChecks = (baseUrl: string, apiKey: string) => {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const send = async (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
  ): Promise<Answer> => {
    const response = await fetch(new URL(path, base), {
      method,
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text for the verdict
    }
    return { status: response.status, headers: response.headers, body };
  };
  const withKey = (key = apiKey) => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });

  /** The answer has this status, and an error is the contract's envelope with this code. */
  const expectAnswer = (answer: Answer, status: number, code?: string): Answer => {
    const error = answer.body?.error as { code?: string; requestId?: string } | undefined;
    if (answer.status !== status) {
      const got = error?.code ? ` ${error.code} (${error.requestId})` : '';
      throw new Mismatch(`expected ${status}${code ? ` ${code}` : ''}, got ${answer.status}${got}`);
    }
    if (code !== undefined) {
      if (error?.code !== code) throw new Mismatch(`expected ${code}, got ${JSON.stringify(answer.body)}`);
      if (!error.requestId || answer.headers.get('x-athos-request-id') !== error.requestId) {
        throw new Mismatch('the envelope and X-Athos-Request-Id name different requests');
      }
    }
    return answer;
  };

  const state: { token?: string; callId?: string; listedId?: string } = {};
  const needs = <T>(value: T | undefined, step: string): T => {
    if (value === undefined) throw new Mismatch(`not run: ${step} failed`);
    return value;
  };
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const list = async (query: Record<string, string>) => {
    const answer = expectAnswer(
      await send('GET', `calls?${new URLSearchParams({ from, limit: '5', ...query }).toString()}`, {
        headers: withKey(),
      }),
      200,
    );
    const rows = answer.body.data as { id: string }[];
    state.listedId ??= rows[0]?.id;
    return answer;
  };
  const rowsOf = (answer: Answer) => `${(answer.body.data as unknown[]).length} calls`;

  const checks: [string, () => Promise<string | Verdict>][] = [
    [
      'mint',
      async () => {
        const answer = expectAnswer(
          await send('POST', 'session', { headers: withKey(), body: JSON.stringify(smokeRep) }),
          200,
        );
        state.token = answer.body.token;
        return `a session token until ${answer.body.expiresAt}`;
      },
    ],
    [
      'redeem',
      async () => {
        const token = needs(state.token, 'mint');
        const answer = expectAnswer(
          await send('POST', 'roleplay/session', {
            headers: withKey(token),
            body: JSON.stringify({ drillKey: 'ma-full-sale', difficulty: 'Advanced' }),
          }),
          200,
        );
        state.callId = answer.body.callId;
        return `call ${answer.body.callId}, persona ${answer.body.persona?.name}, a connection ticket`;
      },
    ],
    [
      'redeem again (single use)',
      async () => {
        const token = needs(state.token, 'mint');
        expectAnswer(
          await send('POST', 'roleplay/session', { headers: withKey(token), body: '{"drillKey":"ma-full-sale"}' }),
          401,
          'TOKEN_ALREADY_USED',
        );
        return '401 TOKEN_ALREADY_USED';
      },
    ],
    [
      'preflight on the redeem route',
      async () => {
        const answer = expectAnswer(
          await send('OPTIONS', 'roleplay/session', {
            headers: {
              Origin: 'https://smoke.example',
              'Access-Control-Request-Method': 'POST',
              'Access-Control-Request-Headers': 'authorization,content-type',
            },
          }),
          204,
        );
        const methods = answer.headers.get('access-control-allow-methods') ?? '';
        if (!methods.includes('POST')) throw new Mismatch(`Access-Control-Allow-Methods is "${methods}"`);
        return `204, allows ${methods}`;
      },
    ],
    ['list', async () => rowsOf(await list({}))],
    ['list to a date', async () => rowsOf(await list({ to: new Date().toISOString() }))],
    ['list by source', async () => rowsOf(await list({ source: 'roleplay' }))],
    ['list by rep', async () => rowsOf(await list({ externalUserId: smokeRep.externalUserId }))],
    ['list by agency', async () => rowsOf(await list({ externalAgencyId: smokeRep.externalAgencyId }))],
    ['list by rep and agency', async () => rowsOf(await list({ ...smokeRep }))],
    [
      'list the next page',
      async () => {
        const first = await list({ limit: '1' });
        const cursor = first.body.nextCursor as string | null;
        if (!cursor) return 'one page only: no cursor to follow';
        return `${rowsOf(await list({ limit: '1', cursor }))} on page two`;
      },
    ],
    [
      'read a listed call',
      async () => {
        if (state.listedId === undefined) {
          return {
            outcome: 'skipped',
            detail: 'no scored call listed yet (the simulator scores the call redeemed above; run again in a minute)',
          };
        }
        const answer = expectAnswer(await send('GET', `calls/${state.listedId}`, { headers: withKey() }), 200);
        return `${answer.body.id}, ${(answer.body.transcript as unknown[]).length} turns, score ${answer.body.score?.overallScore}`;
      },
    ],
    [
      'read the redeemed call',
      async () => {
        const callId = needs(state.callId, 'redeem');
        const answer = await send('GET', `calls/${callId}`, { headers: withKey() });
        if (answer.status === 200) return 'already scored';
        expectAnswer(answer, 404, 'CALL_NOT_FOUND');
        return '404 CALL_NOT_FOUND until it is scored';
      },
    ],
    [
      'unknown route',
      async () => {
        expectAnswer(await send('GET', 'smoke-no-such-route'), 404, 'INVALID_REQUEST');
        return "404 INVALID_REQUEST, the gateway's own";
      },
    ],
    [
      'unknown method',
      async () => {
        expectAnswer(await send('DELETE', 'session', { headers: withKey() }), 404, 'INVALID_REQUEST');
        return "404 INVALID_REQUEST, the gateway's own";
      },
    ],
    [
      'payload over 10 MB',
      async () => {
        const body = new Uint8Array(overLimitBytes).fill(0x20);
        expectAnswer(await send('POST', 'session', { headers: withKey(), body }), 413, 'INVALID_REQUEST');
        return "413 INVALID_REQUEST, the gateway's own";
      },
    ],
    [
      'body that is not UTF-8',
      async () => {
        const body = Buffer.concat([Buffer.from('{"externalUserId":"smoke_'), Buffer.from([0xff]), Buffer.from('"}')]);
        const answer = expectAnswer(
          await send('POST', 'session', { headers: withKey(), body }),
          400,
          'INVALID_REQUEST',
        );
        if (answer.body.error.message !== 'request body is not valid UTF-8') {
          throw new Mismatch(`refused for another reason: ${answer.body.error.message}`);
        }
        return '400 INVALID_REQUEST: the function saw the bytes sent';
      },
    ],
    [
      'wrong API key',
      async () => {
        const wrong = `${apiKey.slice(0, -6)}${apiKey.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`;
        expectAnswer(
          await send('POST', 'session', { headers: withKey(wrong), body: '{"externalUserId":"smoke_rep"}' }),
          401,
          'INVALID_API_KEY',
        );
        return '401 INVALID_API_KEY';
      },
    ],
  ];

  /** Runs every check in order, reporting each verdict as it comes. */
  return async (report: (name: string, verdict: Verdict) => void): Promise<Verdict[]> => {
    const verdicts: Verdict[] = [];
    for (const [name, check] of checks) {
      let verdict: Verdict;
      try {
        const result = await check();
        verdict = typeof result === 'string' ? { outcome: 'passed', detail: result } : result;
      } catch (error) {
        verdict = {
          outcome: 'failed',
          detail: error instanceof Mismatch ? error.message : `no answer: ${String(error)}`,
        };
      }
      report(name, verdict);
      verdicts.push(verdict);
    }
    return verdicts;
  };
};
