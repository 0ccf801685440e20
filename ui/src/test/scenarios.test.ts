//! The shared scenarios (`tests/scenarios/*.json`) against the fake backend, with the
//! matching rules of the Rust runner (`src-tauri/src/scenarios.rs`), which runs the
//! same files against the real core: so the fake cannot drift from what the app does.
//!
//! `expect` is a subset: an object's listed keys must match (others are ignored), an
//! array must have the same length and match element by element, scalars are equal.
//! `expect_error` names the error code the step must fail with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeBackend } from './fake';

const DIR = join(__dirname, '..', '..', '..', 'tests', 'scenarios');

interface Step {
  command: string;
  args?: Record<string, unknown>;
  expect?: unknown;
  expect_error?: string;
}

interface Scenario {
  name: string;
  steps: Step[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where `actual` differs from the subset `expected`, as a JSON path; null if it matches. */
export function mismatch(expected: unknown, actual: unknown, path = 'result'): string | null {
  if (isObject(expected) && isObject(actual)) {
    for (const [k, e] of Object.entries(expected)) {
      if (!(k in actual)) return `${path}.${k}: missing`;
      const m = mismatch(e, actual[k], `${path}.${k}`);
      if (m) return m;
    }
    return null;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    for (let i = 0; i < expected.length; i += 1) {
      const m = mismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (!Array.isArray(expected) && !isObject(expected) && expected === actual) return null;
  return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** Runs a scenario on a fresh fake; the first step that does not go as written. */
async function run(s: Scenario): Promise<string | null> {
  const fake = createFakeBackend();
  for (const [i, step] of s.steps.entries()) {
    const at = `step ${i + 1} (${step.command})`;
    let result: unknown;
    try {
      result = await fake.handle(step.command, step.args ?? {});
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (step.expect_error !== undefined && code === step.expect_error) continue;
      return `${at}: failed with ${code} (${(e as { message?: string }).message ?? String(e)})`;
    }
    if (step.expect_error !== undefined) return `${at}: expected error ${step.expect_error}, got ${JSON.stringify(result)}`;
    if (step.expect !== undefined) {
      const m = mismatch(step.expect, result);
      if (m) return `${at}: ${m}`;
    }
  }
  return null;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('shared scenarios against the fake backend', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s', async (file) => {
    const scenario = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Scenario;
    expect(Object.keys(scenario).sort()).toEqual(['name', 'steps']);
    for (const step of scenario.steps) {
      for (const k of Object.keys(step)) expect(['command', 'args', 'expect', 'expect_error'], `${file}: ${k}`).toContain(k);
    }
    expect(await run(scenario), scenario.name).toBeNull();
  });

  it('match as the Rust runner does', () => {
    const actual = { a: 1, b: [{ c: 'x' }, { c: 'y' }] };
    expect(mismatch({ b: [{}, { c: 'y' }] }, actual)).toBeNull();
    expect(mismatch({ b: [{ c: 'y' }, {}] }, actual)).not.toBeNull();
    expect(mismatch({ b: [{}] }, actual)).not.toBeNull();
    expect(mismatch({ z: 1 }, actual)).not.toBeNull();
    expect(mismatch(null, null)).toBeNull();
    expect(mismatch({}, [])).not.toBeNull();
  });
});
