import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorCode as ServerErrorCode } from '../../lambdas/domain/errors.js';
import type { ErrorCode as ClientErrorCode, WebhookEvent, WebhookEventType } from '../../clients/node/src/index.js';
import type { components } from '../../clients/node/src/generated/openapi.js';
import { version } from '../../clients/node/src/version.js';

const clientDir = join(process.cwd(), 'clients', 'node');

it('the committed types are what openapi-typescript makes of the OpenAPI document today', async () => {
  const check = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'check:generated'],
      { cwd: clientDir, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` }),
    );
  });

  if (check.code !== 0) {
    throw new Error(
      `clients/node/src/generated/openapi.ts no longer matches the OpenAPI document: run \`npm run generate -w clients/node\` and check the client against what changed.\n${check.output}`,
    );
  }
  expect(check.code).toBe(0);
}, 120_000);

it('the client knows the same error codes as the server', () => {
  type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
  const same: Same<ClientErrorCode, ServerErrorCode> = true;
  expect(same).toBe(true);
});

it('the client’s webhook events are the OpenAPI document’s `webhooks`', () => {
  type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
  type Contract = components['schemas']['WebhookEvent'];
  const sameTypes: Same<WebhookEventType, Contract['type']> = true;
  const sameFields: Same<keyof WebhookEvent['data'], keyof Contract['data']> = true;
  const fitsContract: WebhookEvent extends Contract ? true : false = true;
  expect([sameTypes, sameFields, fitsContract]).toEqual([true, true, true]);
});

it('the version in the User-Agent is the package’s', async () => {
  const manifest = JSON.parse(await readFile(join(clientDir, 'package.json'), 'utf8')) as { version: string };

  expect(version).toBe(manifest.version);
});
