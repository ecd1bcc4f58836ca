import { execFile } from 'node:child_process';
import { dynamoEndpoint, testTableName } from './testSettings.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: any;
}

/** The CLI bundled by the global setup (adminCliBundle.ts). */
const adminCliBundle = (): string => {
  const bundle = process.env.ATHOS_TEST_ADMIN_CLI;
  if (!bundle) throw new Error('the admin CLI was not bundled: run the tests with jest (see jest.config.js)');
  return bundle;
};

/**
 * Runs `athos-admin` as an operator would (a separate process; its code bundled), against the test
 * table (or `table`), with `--json`. `env` adds to the environment, e.g. ATHOS_ADMIN_NOW to pin its
 * clock; `stdin` is what the operator pipes in.
 */
export const admin = (
  args: string[],
  env: Record<string, string> = {},
  { table = testTableName, stdin = '' }: { table?: string; stdin?: string } = {},
): Promise<CliResult> =>
  new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [
        adminCliBundle(),
        ...args,
        '--table',
        table,
        '--endpoint',
        dynamoEndpoint(),
        '--json',
        '--actor',
        'test-operator',
      ],
      {
        // As bin/athos-admin.js sets it: the SDK's notice about Node.js 20 is not the CLI's output.
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, json });
      },
    );
    // What an operator pipes in; an empty pipe otherwise, never the test's own stdin.
    child.stdin?.end(stdin);
  });
