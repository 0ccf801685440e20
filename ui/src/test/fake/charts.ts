//! Charts for the fake backend. The real ones are SVG drawn by the core (`charts`,
//! with its own palette and labels); the fake returns the same data (size, dates and
//! values for hover) around a deliberately plain SVG: one grey line or grey bars.
import type { Breakdown, Chart, PlotArea, Series } from '../../lib/ipc/generated/types';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The size the core draws at: requests are clamped to 320–2400 × 160–1600. */
export function chartSize(width: number, height: number): { width: number; height: number } {
  return { width: clamp(width, 320, 2400), height: clamp(height, 160, 1600) };
}

function svgOpen(w: number, h: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">`;
}

/** A net-worth or asset-history line (the core's `net_worth` / `asset_history`). */
export function lineChart(series: Pick<Series, 'dates' | 'totals'>, width: number, height: number): Chart {
  const w = Math.max(width, 320);
  const h = Math.max(height, 200);
  const plot: PlotArea = { left: 60, top: 10, width: w - 80, height: h - 40 };
  const nums = series.totals.map(Number);
  const lo = Math.min(0, ...nums);
  const hi = Math.max(1, ...nums);
  const n = series.dates.length;
  const x = (i: number) => plot.left + (n <= 1 ? plot.width / 2 : (plot.width * i) / (n - 1));
  const y = (v: number) => plot.top + plot.height - ((v - lo) / (hi - lo)) * plot.height;
  const points = nums.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const svg = `${svgOpen(w, h)}<polyline fill="none" stroke="gray" stroke-width="2" points="${points}"/></svg>`;
  return { svg, plot, width: w, height: h, dates: [...series.dates], values: [...series.totals] };
}

/** Allocation bars, largest first (the core's `allocation`): no hover data. */
export function allocationChart(b: Breakdown, width: number, height: number): Chart {
  const w = Math.max(width, 320);
  const rows = Math.max(1, b.slices.length);
  const h = Math.min(Math.max(height, 40 + 30 * rows), 60 + 40 * rows);
  const plot: PlotArea = { left: 120, top: 10, width: w - 140, height: h - 20 };
  const bar = plot.height / rows;
  const bars = b.slices
    .map((s, i) => {
      const len = Math.max(1, (Math.max(0, Number(s.percent)) / 100) * plot.width);
      return `<rect x="${plot.left}" y="${(plot.top + i * bar + 2).toFixed(1)}" width="${len.toFixed(1)}" height="${Math.max(1, bar - 4).toFixed(1)}" fill="gray"/>`;
    })
    .join('');
  return { svg: `${svgOpen(w, h)}${bars}</svg>`, plot, width: w, height: h, dates: [], values: [] };
}

/** A 1×1 white PNG, base64 (what `chart_png` returns is only saved to a file). */
export const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';
