import { escapeHtml } from '../shared/html.ts';

/**
 * Bar charts as server-rendered SVG: no script, no library. Each chart is an image with a title and a
 * description (role="img", aria-labelledby), and the page shows the same figures as a table beside it,
 * which is what a screen reader reads; the bars, axis and legend are drawn for the eye only.
 */
export type Bar = { label: string; segments: number[]; marker?: number };
export type Group = { label: string; bars: Bar[] };
export type ChartSpec = {
  id: string;
  title: string;
  desc: string;
  /** one name a segment position, in the legend */
  series: string[];
  /** the name of the marker line (capacity), when bars have one */
  markerName?: string;
  groups: Group[];
};

// Fills with at least 3:1 contrast on white (WCAG 1.4.11), told apart by the legend and the table too.
const COLOURS = ['#1a7f37', '#b42318', '#8a5a00', '#1f4e99'];
const W = 720;
const H = 320;
const PAD = { left: 48, right: 8, top: 40, bottom: 44 };

/** A round number at or above n for the top of the axis: 1, 2, 5 × 10^k. */
export function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n)!;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

export function barChartSvg(c: ChartSpec): string {
  const top = niceMax(
    Math.max(
      0,
      ...c.groups.flatMap((g) =>
        g.bars.map((b) =>
          Math.max(
            b.marker ?? 0,
            b.segments.reduce((s, v) => s + v, 0),
          ),
        ),
      ),
    ),
  );
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const groupW = plotW / Math.max(1, c.groups.length);
  const parts: string[] = [];
  for (const tick of [0, top / 2, top]) {
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#767676" stroke-width="${tick === 0 ? 1.5 : 0.5}"/>`,
      `<text x="${PAD.left - 6}" y="${y(tick) + 5}" text-anchor="end" font-size="14" fill="#222">${fmt(tick)}</text>`,
    );
  }
  c.groups.forEach((g, gi) => {
    const x0 = PAD.left + gi * groupW;
    const barW = (groupW * 0.8) / Math.max(1, g.bars.length);
    g.bars.forEach((b, bi) => {
      const x = x0 + groupW * 0.1 + bi * barW;
      let base = 0;
      b.segments.forEach((v, si) => {
        if (v <= 0) return;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${COLOURS[si % COLOURS.length]}"/>`,
        );
        base += v;
      });
      if (b.marker !== undefined)
        parts.push(
          `<line x1="${x.toFixed(1)}" x2="${(x + barW - 1).toFixed(1)}" y1="${y(b.marker).toFixed(1)}" y2="${y(b.marker).toFixed(1)}" stroke="#222" stroke-width="3" stroke-dasharray="4 2"/>`,
        );
    });
    parts.push(
      `<text x="${(x0 + groupW / 2).toFixed(1)}" y="${H - PAD.bottom + 20}" text-anchor="middle" font-size="13" fill="#222">${escapeHtml(g.label)}</text>`,
    );
  });
  const legend = [...c.series.map((name, i) => ({ name, colour: COLOURS[i % COLOURS.length]!, line: false }))];
  if (c.markerName) legend.push({ name: c.markerName, colour: '#222', line: true });
  let lx = PAD.left;
  for (const l of legend) {
    parts.push(
      l.line
        ? `<line x1="${lx}" x2="${lx + 16}" y1="${PAD.top - 22}" y2="${PAD.top - 22}" stroke="${l.colour}" stroke-width="3" stroke-dasharray="4 2"/>`
        : `<rect x="${lx}" y="${PAD.top - 30}" width="16" height="16" fill="${l.colour}"/>`,
      `<text x="${lx + 22}" y="${PAD.top - 17}" font-size="14" fill="#222">${escapeHtml(l.name)}</text>`,
    );
    lx += 40 + l.name.length * 14;
  }
  const id = escapeHtml(c.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${W} ${H}" width="100%" class="chart" focusable="false">` +
    `<title id="${id}-title">${escapeHtml(c.title)}</title><desc id="${id}-desc">${escapeHtml(c.desc)}</desc>` +
    `${parts.join('')}</svg>`
  );
}
