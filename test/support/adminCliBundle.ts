import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * The operator CLI's own code (bin/admin/main.ts), bundled once per test run. Under tsx a spawn
 * costs ~0.75 s and ~0.85 s of CPU, most of it loading over eighty TypeScript modules through tsx's
 * loader thread; the bundle starts in ~0.25 s. The CLI suites spawn it several times a test, on two
 * cores shared with the other suites and DynamoDB Local. One test still runs the operator's
 * entry, bin/athos-admin.js (test/cli/adminCli.test.ts, "cannot reach DynamoDB").
 */
export const buildAdminCliBundle = (): string => {
  const outfile = join(mkdtempSync(join(tmpdir(), 'athos-admin-cli-')), 'athos-admin.cjs');
  buildSync({
    entryPoints: ['bin/admin/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
};

export const removeAdminCliBundle = (outfile: string | undefined): void => {
  if (outfile) rmSync(dirname(outfile), { recursive: true, force: true });
};
