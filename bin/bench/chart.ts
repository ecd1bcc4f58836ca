import type { Spread } from './stats.js';

export interface ChartSeries {
  readonly label: string;
  /** One point per tenant size: the median, with the range drawn as a whisker. */
  readonly points: readonly { calls: number; latencyMs: Spread }[];
}

const palette = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * List latency against tenant size, one line per filter combination: an SVG drawn from the run's
 * figures (no library), log scale across, so flat lines read as "independent of size".
 */
export const latencyChart = (series: readonly ChartSeries[], caption: string): string => {
  const width = 860;
  const height = 480;
  const plot = { left: 70, right: 600, top: 40, bottom: 400 };
  const sizes = [...new Set(series.flatMap((line) => line.points.map((point) => point.calls)))].sort((a, b) => a - b);
  // Scaled to the medians: on a shared machine one slow sample would flatten every line.
  const maxMs = Math.max(1, ...series.flatMap((line) => line.points.map((point) => point.latencyMs.median)));
  const yMax = niceCeiling(maxMs * 1.5);
  const [first = 1, last = 10] = [sizes[0], sizes.at(-1)];
  const x = (calls: number) =>
    plot.left +
    ((Math.log10(calls) - Math.log10(first)) / Math.max(1e-9, Math.log10(last) - Math.log10(first))) *
      (plot.right - plot.left);
  const y = (ms: number) => plot.bottom - (Math.min(ms, yMax) / yMax) * (plot.bottom - plot.top);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${plot.left}" y="22" font-size="15" font-weight="bold">GET /calls latency against tenant size, per filter combination</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const ms = (yMax / 5) * i;
    parts.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${y(ms)}" y2="${y(ms)}" stroke="#e5e5e5"/>`,
      `<text x="${plot.left - 8}" y="${y(ms) + 4}" text-anchor="end">${ms.toFixed(ms < 10 ? 1 : 0)}</text>`,
    );
  }
  for (const calls of sizes) {
    parts.push(
      `<line x1="${x(calls)}" x2="${x(calls)}" y1="${plot.top}" y2="${plot.bottom}" stroke="#e5e5e5"/>`,
      `<text x="${x(calls)}" y="${plot.bottom + 18}" text-anchor="middle">${calls.toLocaleString('en-US')}</text>`,
    );
  }
  parts.push(
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#333"/>`,
    `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#333"/>`,
    `<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 40}" text-anchor="middle">calls the tenant holds (log scale)</text>`,
    `<text transform="translate(20 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">ms per request: median, whisker min–max (clipped)</text>`,
  );
  series.forEach((line, index) => {
    const color = palette[index % palette.length];
    const offset = (index - (series.length - 1) / 2) * 3;
    const path = line.points
      .map(
        (point, i) =>
          `${i === 0 ? 'M' : 'L'}${(x(point.calls) + offset).toFixed(1)},${y(point.latencyMs.median).toFixed(1)}`,
      )
      .join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const point of line.points) {
      const px = (x(point.calls) + offset).toFixed(1);
      parts.push(
        `<line x1="${px}" x2="${px}" y1="${y(point.latencyMs.min).toFixed(1)}" y2="${y(point.latencyMs.max).toFixed(1)}" stroke="${color}" stroke-opacity="0.5"/>`,
        `<circle cx="${px}" cy="${y(point.latencyMs.median).toFixed(1)}" r="3" fill="${color}"/>`,
      );
    }
    const ly = plot.top + 8 + index * 20;
    parts.push(
      `<line x1="${plot.right + 20}" x2="${plot.right + 44}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${plot.right + 50}" y="${ly + 4}">${escape(line.label)}</text>`,
    );
  });
  parts.push(`<text x="${plot.left}" y="${height - 14}" fill="#555">${escape(caption)}</text>`, '</svg>');
  return `${parts.join('\n')}\n`;
};

const niceCeiling = (value: number) => {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
};
