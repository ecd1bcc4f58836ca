// Every call of the client. Against `npm start`: ATHOS_API_KEY=<the demo key> npx tsx quickstart.ts
import { Athos, AthosConnectionError, AthosError } from '@useathos/node';

const athos = new Athos({
  apiKey: process.env.ATHOS_API_KEY ?? '',
  baseUrl: process.env.ATHOS_BASE_URL ?? 'http://127.0.0.1:3000',
});
console.log(`Using a ${athos.mode} key`);

try {
  // 1. A rep clicks "start": mint a single-use session token and hand it to the browser SDK.
  const session = await athos.sessions.create({ externalUserId: 'rep_8842', externalAgencyId: 'agency_chicago' });
  console.log(`Session token for rep_8842, valid until ${session.expiresAt}`);

  // 2. One page of scored calls, newest first…
  const from = new Date(Date.now() - 30 * 86_400_000);
  const page = await athos.calls.list({ from, limit: 10 });
  console.log(`First page: ${page.data.length} calls, ${page.nextCursor ? 'more to come' : 'the only page'}`);

  // …or every call of every page.
  let calls = 0;
  let seconds = 0;
  for await (const call of athos.calls.list({ from, externalUserId: 'rep_8842' })) {
    calls++;
    seconds += call.durationSec;
  }
  console.log(`rep_8842: ${calls} scored calls, ${Math.round(seconds / 60)} minutes of practice`);

  // 3. One call in full: transcript and score.
  const newest = page.data[0];
  if (newest) {
    const call = await athos.calls.get(newest.id);
    console.log(`Call ${call.id}: score ${call.score.overallScore}, ${call.transcript.length} turns`);
  }
} catch (error) {
  if (error instanceof AthosError) {
    console.error(`Athos answered ${error.status} ${error.code}: ${error.message} (request ${error.requestId})`);
  } else if (error instanceof AthosConnectionError) {
    console.error(`No answer from Athos: ${error.message}`);
  } else {
    throw error;
  }
  process.exitCode = 1;
}
