//! Shows a chart rendered by the backend (an SVG string from our own core, inserted as
//! markup) with an interactive layer over its plot area: pointer moves and arrow keys
//! show the date and value of the nearest point. Offers SVG and PNG downloads.
import { useState } from 'preact/hooks';
import type { Chart, ChartRequest } from '../lib/ipc';
import { ipc, toAppError } from '../lib/ipc';
import { downloadBlob, pngBlobFromBase64, pointIndexAt, pointX, svgBlob } from '../lib/charts';
import { formatDate, formatMoney } from '../lib/format';
import { t } from '../lib/i18n';
import { toast } from '../lib/shell/toast';
import { errorMessage } from './feedback';

interface Props {
  chart: Chart;
  currency: string;
  title: string;
  /** File name without extension for downloads. */
  exportName: string;
  /** The request that produced the chart, reused for the PNG export. */
  request: ChartRequest;
  /** Keep small charts (allocation) at a readable size instead of stretching them. */
  compact?: boolean;
}

export function ChartView({ chart, currency, title, exportName, request, compact }: Props) {
  const [index, setIndex] = useState<number | null>(null);
  const count = Math.min(chart.dates.length, chart.values.length);
  const interactive = count > 0 && chart.plot.width > 0;
  const { plot } = chart;

  const pct = (v: number, total: number) => `${(v / total) * 100}%`;
  const overlayStyle = {
    left: pct(plot.left, chart.width),
    top: pct(plot.top, chart.height),
    width: pct(plot.width, chart.width),
    height: pct(plot.height, chart.height),
  };

  const onMove = (e: MouseEvent) => {
    const el = e.currentTarget as HTMLElement;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 0) return;
    const x = plot.left + ((e.clientX - rect.left) / rect.width) * plot.width;
    setIndex(pointIndexAt(x, plot, count));
  };

  const onKey = (e: KeyboardEvent) => {
    const cur = index ?? count - 1;
    let next: number | null = null;
    if (e.key === 'ArrowLeft') next = Math.max(0, cur - 1);
    else if (e.key === 'ArrowRight') next = Math.min(count - 1, cur + 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Escape') {
      setIndex(null);
      return;
    }
    if (next !== null) {
      e.preventDefault();
      setIndex(next);
    }
  };

  const exportSvg = () => downloadBlob(svgBlob(chart.svg), `${exportName}.svg`);
  const exportPng = async () => {
    try {
      const b64 = await ipc.chartPng(request);
      downloadBlob(pngBlobFromBase64(b64), `${exportName}.png`);
    } catch (e) {
      toast(errorMessage(toAppError(e)), 'error');
    }
  };

  const active = index !== null && index < count ? index : null;
  const tipLeft = active !== null ? (pointX(active, plot, count) - plot.left) / plot.width : 0;
  const tipText = active !== null
    ? `${formatDate(chart.dates[active]!)} · ${formatMoney(chart.values[active]!, currency)}`
    : '';

  return (
    <figure class={`chart ${compact ? 'chart--compact' : ''}`}>
      <div class="chart__frame">
        {/* The SVG comes from our own backend (never from user input or the network). */}
        <div class="chart__svg" role="img" aria-label={title} dangerouslySetInnerHTML={{ __html: chart.svg }} />
        {interactive && (
          <div
            class="chart__overlay"
            style={overlayStyle}
            tabIndex={0}
            role="slider"
            aria-label={t('chart.explore', { title })}
            aria-valuemin={0}
            aria-valuemax={count - 1}
            aria-valuenow={active ?? count - 1}
            aria-valuetext={tipText || t('chart.hint')}
            onMouseMove={onMove}
            onMouseLeave={() => setIndex(null)}
            onFocus={() => setIndex((i) => i ?? count - 1)}
            onBlur={() => setIndex(null)}
            onKeyDown={onKey}
          >
            {active !== null && (
              <>
                <div class="chart__guide" style={{ left: `${tipLeft * 100}%` }} />
                <div
                  class={`chart__tooltip ${tipLeft > 0.6 ? 'chart__tooltip--left' : ''}`}
                  style={{ left: `${tipLeft * 100}%` }}
                  role="status"
                >
                  <span class="chart__tooltip-date">{formatDate(chart.dates[active]!)}</span>
                  <strong>{formatMoney(chart.values[active]!, currency)}</strong>
                </div>
              </>
            )}
          </div>
        )}
      </div>
      <figcaption class="chart__actions">
        <button type="button" class="btn btn--small" onClick={exportSvg}>{t('chart.downloadSvg')}</button>
        <button type="button" class="btn btn--small" onClick={exportPng}>{t('chart.downloadPng')}</button>
      </figcaption>
    </figure>
  );
}
