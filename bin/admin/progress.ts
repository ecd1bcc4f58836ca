/**
 * A progress bar on stderr (stdout stays clean for --json): redrawn in place on a terminal, a line
 * every tenth of the way otherwise.
 */
export const progressBar = (total: number, label: string) => {
  const started = Date.now();
  const interactive = process.stderr.isTTY === true;
  let lastTenth = -1;
  let lastDrawn = 0;
  const draw = (done: number, final = false) => {
    const fraction = total === 0 ? 1 : done / total;
    const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
    const text = `${label} ${'█'.repeat(Math.round(fraction * 30)).padEnd(30, '░')} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor(fraction * 100)}%, ${rate.toLocaleString('en-US')}/s)`;
    if (interactive) {
      if (final || Date.now() - lastDrawn > 100) {
        process.stderr.write(`\r${text}${final ? '\n' : ''}`);
        lastDrawn = Date.now();
      }
    } else if (Math.floor(fraction * 10) > lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      process.stderr.write(`${text}\n`);
    }
  };
  return { update: (done: number) => draw(done), finish: (done: number) => draw(done, true) };
};
