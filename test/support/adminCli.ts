import { execFile } from 'node:child_process';
import { dynamoEndpoint, testTableName } from './testSettings.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: any;
}

/**
 * Runs `athos-admin` as an operator would (a separate process), against the test table (or
 * `table`), with `--json`. `env` adds to the environment, e.g. ATHOS_ADMIN_NOW to pin its clock;
 * `stdin` is what the operator pipes in.
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
        'bin/athos-admin.js',
        ...args,
        '--table',
        table,
        '--endpoint',
        dynamoEndpoint(),
        '--json',
        '--actor',
        'test-operator',
      ],
      { env: { ...process.env, ...env }, timeout: 120_000 },
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
