import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Athos, verifyWebhook, type WebhookEvent } from '../../clients/node/src/index.js';
import { rejectionOf } from '../support/webhookRejection.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const athos = new Athos({ apiKey: 'ath_test_webhooks', baseUrl: 'http://127.0.0.1:9' });

const event = {
  type: 'call.scored',
  timestamp: '2026-06-05T18:20:00.000Z',
  data: {
    callId: 'athos_call_GZ1DjOkZv_VEPoE-CJ8mp',
    sessionId: 'ext_4kq0Zr9Jm2bXfP1s',
    source: 'roleplay',
    externalUserId: 'rep_8842',
    externalAgencyId: 'agency_chicago',
    drillKey: 'ma-full-sale',
    endedAt: '2026-06-05T18:14:00.000Z',
    scoredAt: '2026-06-05T18:20:00.000Z',
    overallScore: 82,
  },
} satisfies WebhookEvent;

/** A delivery as a Standard Webhooks sender makes it, signed by the library's own `sign`. */
const delivery = (
  body: string,
  options: { signingSecret?: string; sentAt?: Date; id?: string } = {},
): { body: string; headers: Record<string, string> } => {
  const sentAt = options.sentAt ?? new Date();
  const id = options.id ?? `msg_${randomBytes(8).toString('hex')}`;
  return {
    body,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(options.signingSecret ?? secret).sign(id, sentAt, body),
    },
  };
};

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe('webhooks.verify', () => {
  it('returns the event of a correctly signed delivery', () => {
    const { body, headers } = delivery(JSON.stringify(event));

    expect(athos.webhooks.verify(body, headers, secret)).toEqual(event);
  });

  it('takes the body as a Buffer, and headers as Node gives them or as a fetch Headers object', () => {
    const { body, headers } = delivery(JSON.stringify({ ...event, type: 'call.ended' }));
    const nodeHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));

    expect(athos.webhooks.verify(Buffer.from(body), nodeHeaders, secret).type).toBe('call.ended');
    expect(verifyWebhook(body, new Headers(headers), secret).type).toBe('call.ended');
  });

  it('accepts a delivery signed with one of several secrets during a rotation', () => {
    const { body, headers } = delivery(JSON.stringify(event));
    const old = delivery(body, { signingSecret: `whsec_${randomBytes(32).toString('base64')}` });
    const bothSignatures = {
      ...headers,
      'webhook-signature': `${old.headers['webhook-signature']} ${headers['webhook-signature']}`,
    };

    expect(athos.webhooks.verify(body, bothSignatures, secret)).toEqual(event);
  });

  it.each([
    ['a changed score', (body: string) => body.replace('"overallScore":82', '"overallScore":100')],
    ['an added space', (body: string) => `${body} `],
    ['another event type', (body: string) => body.replace('call.scored', 'call.ended')],
  ])('refuses a body with %s as INVALID_SIGNATURE', (_case, tamper) => {
    const { body, headers } = delivery(JSON.stringify(event));

    expect(rejectionOf(() => athos.webhooks.verify(tamper(body), headers, secret)).code).toBe('INVALID_SIGNATURE');
  });

  it('refuses a delivery signed with another secret, or whose id was changed, as INVALID_SIGNATURE', () => {
    const body = JSON.stringify(event);
    const otherSecret = delivery(body, { signingSecret: `whsec_${randomBytes(32).toString('base64')}` });
    const { headers } = delivery(body);

    expect(rejectionOf(() => athos.webhooks.verify(body, otherSecret.headers, secret)).code).toBe('INVALID_SIGNATURE');
    expect(
      rejectionOf(() => athos.webhooks.verify(body, { ...headers, 'webhook-id': 'msg_replayed' }, secret)).code,
    ).toBe('INVALID_SIGNATURE');
  });

  it.each([
    ['six minutes old', -6],
    ['six minutes ahead', 6],
  ])('refuses a correctly signed delivery %s as STALE_TIMESTAMP', (_case, offset) => {
    const { body, headers } = delivery(JSON.stringify(event), { sentAt: minutes(offset) });

    expect(rejectionOf(() => athos.webhooks.verify(body, headers, secret)).code).toBe('STALE_TIMESTAMP');
  });

  it('accepts a delivery four minutes old', () => {
    const { body, headers } = delivery(JSON.stringify(event), { sentAt: minutes(-4) });

    expect(athos.webhooks.verify(body, headers, secret)).toEqual(event);
  });

  it('refuses a timestamp moved into the window on a stale delivery as INVALID_SIGNATURE', () => {
    const { body, headers } = delivery(JSON.stringify(event), { sentAt: minutes(-10) });
    const moved = { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };

    expect(rejectionOf(() => athos.webhooks.verify(body, moved, secret)).code).toBe('INVALID_SIGNATURE');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('refuses a delivery without %s', (name) => {
    const { body, headers } = delivery(JSON.stringify(event));
    const { [name]: _dropped, ...rest } = headers;

    expect(rejectionOf(() => athos.webhooks.verify(body, rest, secret)).code).toBe('INVALID_HEADERS');
  });

  it('refuses a timestamp that is not whole seconds', () => {
    const { body, headers } = delivery(JSON.stringify(event));

    const error = rejectionOf(() =>
      athos.webhooks.verify(body, { ...headers, 'webhook-timestamp': new Date().toISOString() }, secret),
    );
    expect(error.code).toBe('INVALID_HEADERS');
  });

  it.each([
    ['not JSON', 'call scored'],
    ['JSON but not an event', JSON.stringify({ hello: 'world' })],
  ])('refuses a correctly signed body that is %s as INVALID_PAYLOAD', (_case, payload) => {
    const { body, headers } = delivery(payload);

    expect(rejectionOf(() => athos.webhooks.verify(body, headers, secret)).code).toBe('INVALID_PAYLOAD');
  });

  it('tells a caller who parsed the body first to pass it raw', () => {
    const { headers } = delivery(JSON.stringify(event));

    expect(() => athos.webhooks.verify(event as unknown as string, headers, secret)).toThrow(/raw|as received/);
  });

  it('refuses a secret that is not a signing secret, without echoing it', () => {
    const { body, headers } = delivery(JSON.stringify(event));

    expect(() => athos.webhooks.verify(body, headers, 'whsec_***not base64***')).toThrow(
      new TypeError("secret must be the endpoint's signing secret, as shown when it was created (whsec_…)"),
    );
  });
});
