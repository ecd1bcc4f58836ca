import { parseArgs } from 'node:util';
import { parseApiKey } from '../lambdas/domain/apiKeys.js';
import { smokeChecks, type Verdict } from './smoke/checks.js';

const usage = `Usage: npm run smoke -- --url <ApiUrl> --api-key <ath_test_… key>

Checks a deployed stage after \`cdk deploy\`: mint, redeem, each list filter, the detail, the
preflight, and the errors the gateway answers by itself. One verdict a line; exit 1 on any failure.
  --url URL        the stack's ApiUrl output (or a custom domain)
  --api-key KEY    a test-mode key (ath_test_…), or ATHOS_API_KEY: what the check creates (a
                   counted test session, one simulated test call) stays in the tenant's test data`;

const fail = (message: string): never => {
  console.error(`smoke: ${message}\n\n${usage}`);
  process.exit(2);
};

const parseOptions = () => {
  try {
    return parseArgs({
      options: { url: { type: 'string' }, 'api-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    return fail((error as Error).message.replace(/\s*\n\s*/g, ' '));
  }
};
const values = parseOptions();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const url = values.url ?? fail('give --url, the stack’s ApiUrl output');
if (!/^https?:\/\//.test(url)) fail(`--url must be an http(s) URL: ${url}`);
const apiKey = values['api-key'] || process.env.ATHOS_API_KEY || fail('give --api-key (or set ATHOS_API_KEY)');
const parsed = parseApiKey(apiKey) ?? fail('--api-key is not an Athos API key');
if (parsed.mode !== 'test') {
  fail(
    'give a test-mode key (ath_test_…): with a live key the check would count a session against the live quota and leave a call in live data. Create one with: npm run admin -- key create --tenant <tenantId> --mode test',
  );
}

const marks: Record<Verdict['outcome'], string> = { passed: '✓', failed: '✗', skipped: '–' };
console.log(`Smoke test of ${url} as ${parsed.displayPrefix} (test mode)`);
const verdicts = await smokeChecks(
  url,
  apiKey,
)((name, verdict) => console.log(`${marks[verdict.outcome]} ${name}: ${verdict.detail}`));
const count = (outcome: Verdict['outcome']) => verdicts.filter((verdict) => verdict.outcome === outcome).length;
const skipped = count('skipped');
console.log(`smoke: ${count('passed')} passed, ${count('failed')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(count('failed') > 0 ? 1 : 0);
