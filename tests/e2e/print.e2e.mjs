// End-to-end test of printing the Emergency Kit from the real app. WebKit opens no
// print dialog in a WebDriver session, so this one drives the app as a keyboard user
// does, with xdotool, and reads the screen with ImageMagick: run it under Xvfb and a
// D-Bus session with an unlocked gnome-keyring (see .ci/test), with xdotool and
// pdftotext installed.
//
// Flow: first run → type a profile name and a password, Enter → the recovery key
// (focus moves to it) → Tab, Tab: "Print the Emergency Kit", Enter → GTK's print
// dialog → "Print to File", Enter → a PDF. The PDF must hold the title, the profile
// name, the data folder and a recovery key that opens the profile
// (`patrimoine-cli check --recovery-key-file`), and a key with one character changed
// must not.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const APP = process.env.PATRIMOINE_APP || join(ROOT, 'target', 'debug', 'patrimoine');
const CLI = process.env.PATRIMOINE_CLI || join(ROOT, 'target', 'debug', 'patrimoine-cli');
const SHOTS = join(ROOT, 'tests', 'e2e', 'artifacts');
const WORK = mkdtempSync(join(tmpdir(), 'patrimoine-print-'));
const DATA = join(WORK, 'data');
const PASSWORD = 'a long and solid passphrase';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (const bin of [APP, CLI]) {
  if (!existsSync(bin)) {
    console.error(`binary not found: ${bin} (cargo build -p patrimoine-app -p patrimoine-cli)`);
    process.exit(1);
  }
}
mkdirSync(SHOTS, { recursive: true });
mkdirSync(DATA);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}
const key = (...keys) => run('xdotool', ['key', '--delay', '80', ...keys]);
const type = (text) => run('xdotool', ['type', '--delay', '30', text]);
function screenshot(name) {
  const r = run('import', ['-window', 'root', join(SHOTS, `print-${name}.png`)]);
  if (r.status !== 0) throw new Error(`screenshot ${name}: ${r.stderr}`);
}
/** The screen's content hash once it has stopped changing and shows a page (not an
 *  empty window), and differs from `previous`. */
async function settledScreen(previous, what, timeout = 60000) {
  const start = Date.now();
  let last = null;
  while (Date.now() - start < timeout) {
    const png = spawnSync('import', ['-window', 'root', 'png:-'], { maxBuffer: 64 << 20 }).stdout;
    const hash = createHash('sha256').update(png).digest('hex');
    // An empty or uniform window compresses to a few kilobytes; a page with text does not.
    if (png.length > 20000 && hash === last && hash !== previous) return hash;
    last = hash;
    await sleep(400);
  }
  throw new Error(`the screen did not settle on: ${what}`);
}

const results = [];
async function step(name, fn) {
  try {
    await fn();
    results.push(true);
    console.log(`  ✓ ${name}`);
  } catch (e) {
    results.push(false);
    console.log(`  ✗ ${name}: ${e.message}`);
    try {
      screenshot(`FAILED-${name.replace(/\W+/g, '-')}`);
    } catch {}
    throw e;
  }
}

// GTK's "Print to File" writes output.pdf into the current folder.
const app = spawn(APP, [], {
  cwd: WORK,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, PATRIMOINE_DATA_DIR: DATA, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' },
});
const pdf = join(WORK, 'output.pdf');
let printed = '';
try {
  await step('first run: create a profile with the keyboard', async () => {
    const w = run('xdotool', ['search', '--sync', '--onlyvisible', '--name', '^Patrimoine$']);
    if (w.status !== 0) throw new Error('the app window did not appear');
    const first = await settledScreen(null, 'the first-run screen');
    screenshot('first-run');
    // Focus starts on the page: Tab goes to the language, then to the profile name.
    key('Tab', 'Tab');
    type('Alice');
    key('Tab');
    type(PASSWORD);
    key('Tab');
    type(PASSWORD);
    await settledScreen(first, 'the filled form');
    key('Return');
    // "Creating…" lasts as long as the password's KDF (calibrated to about a second):
    // the profile is registered when it is done, and the recovery key shows right after.
    const registry = join(DATA, 'profiles.json');
    const start = Date.now();
    while (!(existsSync(registry) && readFileSync(registry, 'utf8').includes('Alice'))) {
      if (Date.now() - start > 60000) throw new Error('the profile was not created');
      await sleep(200);
    }
    await sleep(1000);
    await settledScreen(null, 'the recovery key');
    screenshot('recovery-key');
  });

  await step('print the Emergency Kit to a PDF through the print dialog', async () => {
    key('Tab', 'Tab', 'Return');
    const d = run('xdotool', ['search', '--sync', '--onlyvisible', '--name', '^Print$']);
    if (d.status !== 0) throw new Error('the print dialog did not appear');
    await sleep(1500);
    screenshot('dialog');
    // The printer list has the focus; "Print to File" is its only entry here.
    key('Down');
    await sleep(500);
    key('Return');
    const start = Date.now();
    let size = -1;
    while (Date.now() - start < 60000) {
      const now = existsSync(pdf) ? statSync(pdf).size : -1;
      if (now > 0 && now === size) break;
      size = now;
      await sleep(500);
    }
    if (!(size > 0)) throw new Error('no PDF was written');
    const text = run('pdftotext', ['-layout', pdf, '-']);
    if (text.status !== 0) throw new Error(`pdftotext: ${text.stderr}`);
    printed = text.stdout;
    const pages = run('pdfinfo', [pdf]).stdout.match(/^Pages:\s+(\d+)/m)?.[1];
    if (pages !== '1') throw new Error(`the kit should fit on one page, got ${pages}`);
    for (const want of ['Patrimoine Emergency Kit', 'Alice', DATA, 'Restore from a backup']) {
      if (!printed.includes(want)) throw new Error(`the PDF lacks "${want}":\n${printed}`);
    }
  });

  await step('the printed recovery key opens the profile; an altered one does not', async () => {
    const groups = printed.slice(printed.indexOf('Recovery key')).match(/\b[0-9A-Z]{8}\b/g)?.slice(0, 8) ?? [];
    if (groups.length !== 8) throw new Error(`8 groups of 8 characters expected in the PDF, found ${groups.join(' ')}`);
    // The app holds the profile open: quit it first.
    app.kill('SIGTERM');
    await new Promise((r) => (app.exitCode !== null ? r() : app.once('exit', r)));
    const good = join(WORK, 'rk.txt');
    writeFileSync(good, groups.join('-'));
    const ok = run(CLI, ['--data-dir', DATA, '--recovery-key-file', good, 'check', 'Alice']);
    if (ok.status !== 0) throw new Error(`check with the printed key failed: ${ok.stderr}${ok.stdout}`);
    const bad = join(WORK, 'rk-bad.txt');
    const first = groups[0];
    const swapped = (first[0] === 'A' ? 'B' : 'A') + first.slice(1);
    writeFileSync(bad, [swapped, ...groups.slice(1)].join('-'));
    const refused = run(CLI, ['--data-dir', DATA, '--recovery-key-file', bad, 'check', 'Alice']);
    if (refused.status === 0) throw new Error('an altered recovery key was accepted');
  });
} catch {
  // Reported by step().
} finally {
  if (app.exitCode === null) app.kill('SIGTERM');
  rmSync(WORK, { recursive: true, force: true });
}
const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`print e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === 3 ? 0 : 1);
