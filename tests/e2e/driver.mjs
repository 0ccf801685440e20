// What the real-app end-to-end tests share: tauri-driver started with the app's
// environment (data folder, language), the app started and quit through WebDriver,
// helpers that find buttons and fields by their visible text (inside the open dialog
// when there is one), screenshots of the X screen, and named steps with a summary.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const APP = process.env.PATRIMOINE_APP || join(ROOT, 'target', 'debug', 'patrimoine');
export const SHOTS = join(ROOT, 'tests', 'e2e', 'artifacts');

const scope = `const dlg = [...document.querySelectorAll('[role=dialog]')].filter(d => d.offsetParent !== null).pop(); const root = dlg || document;`;
const FIND_BUTTON = new Function('name', `${scope} return [...root.querySelectorAll('button')].find(b => b.offsetParent !== null && !b.disabled && b.textContent.trim() === name) || null;`);
const FIND_FIELD = new Function('label', `${scope}
  for (const l of root.querySelectorAll('label')) {
    if (l.offsetParent === null) continue;
    const t = l.textContent.replace(/\\s+/g, ' ').trim();
    if (t === label || t.startsWith(label + ' ') || t.startsWith(label + '*')) {
      const c = l.htmlFor ? document.getElementById(l.htmlFor) : l.querySelector('input,select,textarea');
      if (c) return c;
    }
  }
  return null;`);
export const HAS_TEXT = new Function('text', `return document.body.innerText.includes(text);`);

/**
 * Starts tauri-driver for the app with `env` (PATRIMOINE_DATA_DIR, LANG, …) and returns
 * the helpers. `prefix` names this run's screenshots.
 */
export async function e2e({ env, prefix = '', port = 4444 }) {
  if (!existsSync(APP)) {
    console.error(`app binary not found: ${APP} (cargo build -p patrimoine-app)`);
    process.exit(1);
  }
  mkdirSync(SHOTS, { recursive: true });
  const driver = spawn(process.env.TAURI_DRIVER || 'tauri-driver', ['--port', String(port)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  await new Promise((r) => setTimeout(r, 1500));

  const ctx = { browser: null, results: [], driver };

  ctx.start = async () => {
    ctx.browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'warn',
      capabilities: { browserName: 'wry', 'tauri:options': { application: APP }, 'wdio:enforceWebDriverClassic': true },
    });
  };

  /** Waits until the app's process and its single-instance name are gone. */
  ctx.waitGone = async () => {
    const nameOwned = () => /boolean true/.test(spawnSync('dbus-send', ['--session', '--print-reply',
      '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner',
      'string:app.patrimoine.desktop.SingleInstance']).stdout.toString());
    for (let i = 0; i < 200; i++) {
      if (spawnSync('pgrep', ['-f', `^${APP}`]).status !== 0 && !nameOwned()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ps = spawnSync('ps', ['-eo', 'pid,ppid,stat,args']).stdout.toString();
    throw new Error(`the app did not exit within 10 s of closing its window:\n${ps}`);
  };

  /** Quits the app and waits until its process is gone, so the next start does not meet
   *  the exiting instance (single-instance would hand over to it). */
  ctx.quit = async () => {
    await ctx.browser.deleteSession();
    await ctx.waitGone();
  };

  /** Sends SIGTERM to the app (logout, shutdown, `kill`) and waits for it to exit. */
  ctx.terminate = async () => {
    const pids = spawnSync('pgrep', ['-f', `^${APP}`]).stdout.toString().trim().split(/\s+/).filter(Boolean);
    if (pids.length === 0) throw new Error('the app process was not found');
    spawnSync('kill', ['-TERM', ...pids]);
    for (let i = 0; i < 200 && spawnSync('pgrep', ['-f', `^${APP}`]).status === 0; i++) await new Promise((r) => setTimeout(r, 50));
    if (spawnSync('pgrep', ['-f', `^${APP}`]).status === 0) throw new Error('the app did not exit within 10 s of SIGTERM');
    try { await ctx.browser.deleteSession(); } catch {}
    await ctx.waitGone();
  };

  ctx.find = async (fn, arg, what, timeout = 20000) => {
    let found = null;
    await ctx.browser.waitUntil(async () => (found = await ctx.browser.execute(fn, arg)) !== null, { timeout, timeoutMsg: `not found: ${what}` });
    return ctx.browser.$(found);
  };
  ctx.button = (name) => ctx.find(FIND_BUTTON, name, `button "${name}"`);
  ctx.field = (label) => ctx.find(FIND_FIELD, label, `field "${label}"`);
  ctx.click = async (name) => {
    await (await ctx.button(name)).click();
  };
  ctx.type = async (label, value) => {
    const f = await ctx.field(label);
    await f.clearValue();
    await f.setValue(value);
  };
  ctx.select = async (label, value) => {
    await (await ctx.field(label)).selectByAttribute('value', value);
  };
  ctx.seeText = async (text, timeout = 20000) => {
    await ctx.browser.waitUntil(() => ctx.browser.execute(HAS_TEXT, text), { timeout, timeoutMsg: `text not shown: ${text}` });
  };
  let shot = 0;
  ctx.screenshot = async (name) => {
    shot += 1;
    // The X screen, not WebDriver's screenshot: WebKitWebDriver's never returns when
    // WebKit's compositing is off, which the app chooses on machines without a GPU
    // (src-tauri/src/lib.rs, `choose_renderer`) such as this Xvfb one.
    await new Promise((r) => setTimeout(r, 150)); // let the last frame reach the screen
    const out = spawnSync('import', ['-window', 'root', join(SHOTS, `${prefix}${String(shot).padStart(2, '0')}-${name}.png`)]);
    if (out.status !== 0) throw new Error(`screenshot ${name}: ${out.stderr}`);
  };
  ctx.nav = async (name) => {
    const link = await ctx.browser.$(`[data-nav="${name}"]`);
    await link.waitForClickable({ timeout: 10000 });
    await link.click();
  };
  ctx.step = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      ctx.results.push(true);
      console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      ctx.results.push(false);
      console.log(`  ✗ ${name}: ${e.message}`);
      try {
        await ctx.screenshot(`FAILED-${name.replace(/\W+/g, '-')}`);
      } catch {}
      throw e;
    }
  };
  /** Ends the run: the app and the driver stopped; prints "label: N passed, N failed"
   *  (steps never reached count as failed) and exits. */
  ctx.finish = async (label, expected, cleanup = () => {}) => {
    try {
      await ctx.browser?.deleteSession();
    } catch {}
    driver.kill();
    cleanup();
    const passed = ctx.results.filter(Boolean).length;
    const failed = ctx.results.length - passed + Math.max(0, expected - ctx.results.length);
    console.log(`${label}: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  };
  return ctx;
}
