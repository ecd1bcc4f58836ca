import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';

export interface Budget {
  readonly check: string;
  /** The figure, as median [min–max] n=… where it was measured more than once. */
  readonly measured: string;
  readonly limit: string;
  /** What the figure is measured against, in the same run. */
  readonly reference: string;
  readonly pass: boolean;
}

export const machine = () => ({
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
});

/** The verdict lines on stdout; true when every budget holds. */
export const printBudgets = (budgets: readonly Budget[]): boolean => {
  const width = Math.max(...budgets.map((entry) => entry.check.length));
  const figure = Math.max(...budgets.map((entry) => entry.measured.length));
  const about = machine();
  console.log(`\nBudgets (${about.cpu}, ${about.cores} cores, Node ${about.node})\n`);
  for (const entry of budgets)
    console.log(
      `${entry.pass ? 'ok  ' : 'MISS'}  ${entry.check.padEnd(width)}  ${entry.measured.padEnd(figure)}  ${entry.limit}`,
    );
  const failed = budgets.filter((entry) => !entry.pass).length;
  console.log(failed === 0 ? '\nEvery budget holds.' : `\n${failed} budget(s) missed.`);
  return failed === 0;
};

const begin = '<!-- bench:results:begin -->';
const end = '<!-- bench:results:end -->';

/**
 * Rewrites the generated part of docs/performance.md (between its markers) with this run's
 * budgets, so the page and the chart beside it always come from the same run.
 */
export const writeResultsIntoDocs = async (
  path: string,
  budgets: readonly Budget[],
  notes: { at: string; quick: boolean; minutes: number },
) => {
  if (!existsSync(path)) return;
  const page = readFileSync(path, 'utf8');
  const start = page.indexOf(begin);
  const stop = page.indexOf(end);
  if (start < 0 || stop < start) return;
  const about = machine();
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const table = [
    `Run of ${notes.at.slice(0, 10)}${notes.quick ? ' (`--quick`)' : ''} on ${about.cores} cores (${about.cpu}), Node ${about.node}, ${notes.minutes.toFixed(1)} minutes. Figures are median [min–max] and n.`,
    '',
    '| | check | measured | budget | against |',
    '|---|---|---|---|---|',
    ...budgets.map(
      (entry) =>
        `| ${entry.pass ? 'ok' : '**MISS**'} | ${cell(entry.check)} | ${cell(entry.measured)} | ${cell(entry.limit)} | ${cell(entry.reference)} |`,
    ),
  ].join('\n');
  // Formatted as `npm run format` would, so a run leaves the page as the formatter wants it.
  const updated = `${page.slice(0, start + begin.length)}\n${table}\n${page.slice(stop)}`;
  writeFileSync(path, await format(updated, { ...(await resolveConfig(path)), filepath: path }));
};

export const writeJson = (directory: string, name: string, value: unknown) => {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, name), `${JSON.stringify(value, null, 2)}\n`);
};
