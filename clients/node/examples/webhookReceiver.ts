// A webhook receiver on node:http. Register https://your-host/athos/webhooks with Athos and keep
// the endpoint's signing secret (whsec_…) in ATHOS_WEBHOOK_SECRET.
import { createServer } from 'node:http';
import { Athos, AthosWebhookError, type WebhookEvent } from '@useathos/node';

const athos = new Athos({ apiKey: process.env.ATHOS_API_KEY ?? '' });
const secret = process.env.ATHOS_WEBHOOK_SECRET ?? '';
const handled = new Set<string>(); // use your database: a delivery may arrive more than once

const handle = async (event: WebhookEvent) => {
  if (event.type === 'call.scored') {
    const call = await athos.calls.get(event.data.callId);
    console.log(`${event.data.externalUserId} scored ${call.score.overallScore} on ${call.drillKey}`);
  }
};

createServer(async (request, response) => {
  if (request.method !== 'POST' || request.url !== '/athos/webhooks') {
    response.writeHead(404).end();
    return;
  }
  // Verify the body exactly as it arrived: parsing and re-serialising JSON breaks the signature.
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  let event: WebhookEvent;
  try {
    event = athos.webhooks.verify(Buffer.concat(chunks), request.headers, secret);
  } catch (error) {
    const code = error instanceof AthosWebhookError ? error.code : 'ERROR';
    response.writeHead(400, { 'Content-Type': 'text/plain' }).end(code);
    return;
  }
  // Acknowledge at once; work after. Athos retries a delivery that is not answered 2xx in time.
  response.writeHead(204).end();
  const id = String(request.headers['webhook-id']);
  if (handled.has(id)) return;
  handled.add(id);
  await handle(event).catch((error: unknown) => console.error('webhook handling failed', error));
}).listen(4000, () => console.log('Listening on http://127.0.0.1:4000/athos/webhooks'));
