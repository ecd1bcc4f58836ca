import { parseArgs } from 'node:util';
import { createWebhookListener } from '../local/webhookListener.js';

const usage = `Usage: npm run webhooks:listen -- --port 4000 --secret whsec_… [--secret whsec_…] [--fail-first N]

A webhook receiver for trying the webhooks locally: verifies each delivery with the standardwebhooks
package (any of the secrets; give two during a rotation) and prints it.
  --port N          where to listen on 127.0.0.1 (default 4000)
  --secret SECRET   an endpoint's signing secret (athos-admin webhook add printed it)
  --fail-first N    answer 500 to the first N attempts of each message, to watch the retries`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4000' },
    secret: { type: 'string', multiple: true },
    'fail-first': { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(values.port);
const failFirst = Number(values['fail-first']);
const secrets = values.secret ?? [];
const problems = [
  ...(Number.isInteger(port) && port > 0 && port < 65_536 ? [] : [`--port must be a port number`]),
  ...(Number.isInteger(failFirst) && failFirst >= 0 ? [] : ['--fail-first must be a whole number']),
  ...(secrets.length > 0 ? [] : ["give the endpoint's signing secret with --secret whsec_…"]),
  ...secrets
    .filter((secret) => !/^whsec_[A-Za-z0-9+/=]+$/.test(secret))
    .map((secret) => `not a signing secret: ${secret.slice(0, 10)}…`),
];
if (problems.length > 0) {
  console.error(`${problems.join('\n')}\n\n${usage}`);
  process.exit(2);
}

const server = createWebhookListener({
  secrets: () => secrets,
  answer: (delivery) =>
    delivery.verifiedBy.length === 0 ? { status: 400 } : { status: delivery.attempt <= failFirst ? 500 : 204 },
  onDelivery: (delivery) => {
    const time = new Date(delivery.receivedAt).toISOString().slice(11, 23);
    const answer = delivery.verifiedBy.length === 0 ? 400 : delivery.attempt <= failFirst ? 500 : 204;
    if (delivery.verifiedBy.length === 0) {
      console.log(`${time}  ✗ NOT VERIFIED  webhook-id ${delivery.id || '(none)'}  → ${answer}`);
      return;
    }
    const by = secrets.length > 1 ? ` (secret ${delivery.verifiedBy.map((i) => i + 1).join(' and ')})` : '';
    console.log(
      `${time}  ✓ ${delivery.event?.type} verified${by}  webhook-id ${delivery.id}  attempt ${delivery.attempt}  → ${answer}`,
    );
    console.log(`           ${JSON.stringify(delivery.event?.data)}`);
  },
});
server.listen(port, '127.0.0.1', () => {
  console.log(`Listening on http://127.0.0.1:${port}/ (any path); Ctrl-C stops it.`);
  if (failFirst > 0) console.log(`Answering 500 to the first ${failFirst} attempt(s) of each message.`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
