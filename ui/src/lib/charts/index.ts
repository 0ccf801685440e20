//! Chart helpers: date ranges and steps of the dashboard's range selector, mapping a
//! pointer position to the nearest data point, and client-side downloads of exports.
import { addMonths, addYears } from '../dates';
import type { PlotArea, Step } from '../ipc';

export type RangeKey = '1M' | '6M' | '1Y' | '5Y' | 'ALL';
export const RANGES: readonly RangeKey[] = ['1M', '6M', '1Y', '5Y', 'ALL'];

/** Start date of a range ending `to`; `undefined` for ALL (the backend starts the
 *  chart at the oldest value, so no extra round trip is needed to find it). */
export function rangeStart(range: RangeKey, to: string): string | undefined {
  switch (range) {
    case '1M':
      return addMonths(to, -1);
    case '6M':
      return addMonths(to, -6);
    case '1Y':
      return addYears(to, -1);
    case '5Y':
      return addYears(to, -5);
    case 'ALL':
      return undefined;
  }
}

/** Daily up to 6 months, weekly for a year, monthly above. */
export function rangeStep(range: RangeKey): Step {
  if (range === '1M' || range === '6M') return 'daily';
  if (range === '1Y') return 'weekly';
  return 'monthly';
}

/**
 * Index of the data point under `x` (in chart coordinates): points are spread linearly
 * across plot.left .. plot.left + plot.width. Returns null outside the plot or with no data.
 */
export function pointIndexAt(x: number, plot: PlotArea, count: number): number | null {
  if (count <= 0 || x < plot.left - 0.5 || x > plot.left + plot.width + 0.5) return null;
  if (count === 1) return 0;
  const ratio = (x - plot.left) / plot.width;
  return Math.min(count - 1, Math.max(0, Math.round(ratio * (count - 1))));
}

/** X position (chart coordinates) of point `index`. */
export function pointX(index: number, plot: PlotArea, count: number): number {
  if (count <= 1) return plot.left + plot.width / 2;
  return plot.left + (plot.width * index) / (count - 1);
}

/** Offers `blob` as a download named `filename` (works in WebKit and Chromium). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function svgBlob(svg: string): Blob {
  return new Blob([svg], { type: 'image/svg+xml' });
}

export function pngBlobFromBase64(b64: string): Blob {
  const bin = atob(b64.replace(/^data:image\/png;base64,/, ''));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'image/png' });
}
