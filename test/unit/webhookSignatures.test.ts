import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, webhookSecretPattern } from '../../lambdas/tokens/webhookSignatures.js';

const at = new Date('2026-06-05T18:07:30.250Z');

describe('Standard Webhooks signing', () => {
  it('makes secrets of 32 random bytes, whsec_-prefixed base64, each different', () => {
    const secrets = Array.from({ length: 50 }, newWebhookSecret);
    for (const secret of secrets) {
      expect(secret).toMatch(webhookSecretPattern);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(50);
  });

  it('signs byte for byte as the standardwebhooks package signs, for any id and body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ unit: 'binary' }), (id, body) => {
        const secret = newWebhookSecret();
        const ours = signWebhook([secret], { id, at, body });
        expect(ours['webhook-signature']).toBe(new Webhook(secret).sign(id, at, body));
      }),
      { numRuns: 200 },
    );
  });

  it('sends the id, the attempt time in whole seconds, and a v1 signature', () => {
    const headers = signWebhook([newWebhookSecret()], { id: 'msg_1', at, body: '{}' });
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('sends one signature per secret, space-separated, and either secret verifies the message', () => {
    const [newer, older] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: 'call.scored' });
    const headers = signWebhook([newer, older], { id: 'msg_2', at: new Date(), body });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(newer).verify(body, { ...headers })).toEqual({ type: 'call.scored' });
    expect(new Webhook(older).verify(body, { ...headers })).toEqual({ type: 'call.scored' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow('No matching signature');
  });

  it('is refused by a receiver when the body, id or timestamp is changed', () => {
    const secret = newWebhookSecret();
    const body = '{"a":1}';
    const headers = signWebhook([secret], { id: 'msg_3', at: new Date(), body });
    const receiver = new Webhook(secret);
    expect(() => receiver.verify('{"a":2}', { ...headers })).toThrow();
    expect(() => receiver.verify(body, { ...headers, 'webhook-id': 'msg_4' })).toThrow();
    expect(() =>
      receiver.verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) }),
    ).toThrow();
  });
});
