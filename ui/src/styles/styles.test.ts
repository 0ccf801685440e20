import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, 'app.css'), 'utf8');
const print = readFileSync(join(__dirname, 'print.css'), 'utf8');

/** The custom properties of the first `:root { … }` after `from` in app.css. */
function palette(from: number): Record<string, string> {
  const start = css.indexOf(':root {', from);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\b/g)].map((m) => [m[1]!, m[2]!]));
}

const DARK_AT = css.indexOf('@media screen and (prefers-color-scheme: dark)');
const light = palette(0);
const dark = { ...light, ...palette(DARK_AT) };

/** WCAG 2 contrast ratio of two "#rrggbb" colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

// [foreground, background, minimum]: 4.5 for text (WCAG AA), 3 for the focus ring.
const PAIRS: [string, string, number][] = [
  ['text', 'bg', 4.5], ['text', 'surface', 4.5], ['text', 'surface-2', 4.5],
  ['muted', 'bg', 4.5], ['muted', 'surface', 4.5], ['muted', 'surface-2', 4.5],
  ['primary', 'surface', 4.5], ['primary', 'bg', 4.5], ['primary', 'primary-soft', 4.5],
  ['on-fill', 'primary', 4.5], ['on-fill', 'error', 4.5],
  ['error', 'surface', 4.5], ['error', 'error-soft', 4.5], ['ok', 'surface', 4.5], ['warn', 'warn-soft', 4.5],
  ['error-ink', 'error-soft', 4.5], ['warn-ink', 'warn-soft', 4.5], ['ok-ink', 'ok-soft', 4.5],
  ['focus', 'bg', 3], ['focus', 'surface', 3],
];

describe('colour schemes', () => {
  it.each([['light', light], ['dark', dark]] as const)('%s: text, links, buttons and the focus ring are readable', (_, p) => {
    const weak = PAIRS.filter(([fg, bg, min]) => !(contrast(p[fg]!, p[bg]!) >= min))
      .map(([fg, bg, min]) => `${fg} on ${bg}: ${contrast(p[fg]!, p[bg]!).toFixed(2)} < ${min}`);
    expect(weak).toEqual([]);
  });

  it('has a dark scheme that follows the system, for the screen only', () => {
    expect(DARK_AT).toBeGreaterThan(0);
    expect(palette(DARK_AT).bg).not.toBe(light.bg);
    expect(css.slice(DARK_AT)).toContain('color-scheme: dark');
    // One dark block: every colour of the dark scheme is set there.
    expect(css.match(/prefers-color-scheme/g)).toHaveLength(1);
  });

  it('keeps the core\'s dark-ink charts on a light panel in the dark scheme', () => {
    expect(light['chart-panel']).toBeUndefined(); // transparent in the light scheme
    expect(contrast('#1b2530', dark['chart-panel']!)).toBeGreaterThan(12);
    expect(css).toMatch(/\.chart__svg \{ background: var\(--chart-panel\)/);
  });

  it('prints light, whatever the system scheme', () => {
    expect(print).not.toMatch(/prefers-color-scheme/);
    expect(print).toMatch(/html, body \{ background: #fff; color: #000;/);
  });
});
