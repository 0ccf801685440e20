// End-to-end test of the real app: the built `patrimoine` binary driven through
// tauri-driver + WebKitWebDriver (run it under Xvfb and a D-Bus session with an
// unlocked gnome-keyring: see .ci/test). A temporary data directory; screenshots of
// every screen go to tests/e2e/artifacts/ (git-ignored).
//
// Flow: first run → create profile → add institution, account, asset → enter a value
// → dashboard shows the net worth → lock → wrong password refused → unlock → data
// still there → the computer goes to sleep: locked → quit and restart the app → unlock → data still there → back up
// now, change a value, restore that backup from Settings (no password) → SIGTERM after a
// change: backed up on lock, exits → change the
// password (the current one asked; the old one then refused) → export a
// backup to a folder standing for a USB stick (/media/$USER/…) → quit → delete the
// vault → start → the restore wizard appears → pick the exported file → recovery key
// and a new password → data back → a page of the vault damaged on disk → unlock → the
// integrity check finds it → restore wizard.
// Prints "N passed, N failed" and exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAS_TEXT, e2e } from './driver.mjs';

const DATA = mkdtempSync(join(tmpdir(), 'patrimoine-e2e-'));
const PASSWORD = 'a long and solid passphrase';
const NEW_PASSWORD = 'another long passphrase';
const SECOND_PASSWORD = 'a second long passphrase';
const USB = join('/media', process.env.USER || 'root', `patrimoine-e2e-usb-${process.pid}`);
let recoveryKey = '';

// The suspend watcher listens on the session bus, where the test can send logind's
// PrepareForSleep signal (it cannot suspend the machine).
const ctx = await e2e({
  env: { PATRIMOINE_DATA_DIR: DATA, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', PATRIMOINE_SUSPEND_BUS: 'session' },
});
const { start, quit, waitGone, button, field, click, type, select, seeText, screenshot, nav, step } = ctx;

async function unlock(password) {
  await type('Password', password);
  await click('Unlock');
}

try {
  await start();
  await step('first run: create a profile', async () => {
    await seeText('Welcome to Patrimoine');
    await screenshot('first-run');
    await click('Create my profile');
    await type('Profile name', 'Alice');
    await type('Password', PASSWORD);
    await type('Confirm the password', PASSWORD);
    await screenshot('create-profile');
    await click('Create my profile');
    await seeText('Your recovery key', 60000);
    await screenshot('recovery-key');
    // Shown as 8 numbered groups of 8 characters.
    recoveryKey = await ctx.browser.execute(() => (document.body.innerText.match(/\b[0-9A-Z]{8}\b/g) || []).slice(0, 8).join('-'));
    if (recoveryKey.length !== 71) recoveryKey = '';
    if (!recoveryKey) throw new Error('recovery key not shown');
    await (await field('I have saved my recovery key')).click();
    await click('Continue');
    // The keychain offer appears once the app's background keychain self-test has
    // passed; on a slow start it may not have finished yet, and the offer is skipped.
    await ctx.browser.waitUntil(
      () => ctx.browser.execute(() => ['Unlock with this device’s keychain', 'Dashboard'].some((t) => document.body.innerText.includes(t))),
      { timeout: 20000, timeoutMsg: 'neither the keychain offer nor the dashboard' },
    );
    if (await ctx.browser.execute(HAS_TEXT, 'Unlock with this device’s keychain')) {
      await screenshot('keychain-offer');
      await click('Not now');
    }
  });

  await step('add an institution, an account and an asset', async () => {
    await nav('accounts');
    await click('Add an institution');
    await type('Name', 'Boursorama');
    await select('Institution type', 'broker');
    await click('Save');
    await seeText('Boursorama');
    await click('Add an account');
    await type('Name', 'PEA');
    await select('Account type', 'pea');
    await click('Save');
    await screenshot('accounts');
    await nav('assets');
    await click('Add an asset');
    await type('Name', 'ETF World');
    await select('Class', 'fund');
    await screenshot('asset-form');
    await click('Save');
    await seeText('ETF World');
    await screenshot('assets');
  });

  await step('enter a value and see the net worth', async () => {
    await nav('update');
    await type('ETF World', '1234.56');
    await screenshot('update-values');
    await click('Save 1 value');
    await seeText('Saved: 1 new value');
    await nav('dashboard');
    await seeText('1,234.56');
    await screenshot('dashboard');
  });

  await step('lock, wrong password refused, unlock', async () => {
    await click('Lock');
    await seeText('Open a profile');
    await unlock('not the password at all');
    await seeText('Wrong password');
    await screenshot('wrong-password');
    await unlock(PASSWORD);
    await nav('dashboard');
    await seeText('1,234.56');
  });

  await step('the computer goes to sleep: the vault locks', async () => {
    const sent = spawnSync('dbus-send', ['--session', '--type=signal', '/org/freedesktop/login1',
      'org.freedesktop.login1.Manager.PrepareForSleep', 'boolean:true']);
    if (sent.status !== 0) throw new Error(`dbus-send failed: ${sent.stderr}`);
    await seeText('Open a profile');
    await seeText('Locked because the computer went to sleep.');
    await screenshot('locked-on-suspend');
    await unlock(PASSWORD);
    await nav('dashboard');
    await seeText('1,234.56');
  });

  await step('restart the app, unlock, data still there', async () => {
    await quit();
    await start();
    await seeText('Open a profile');
    await screenshot('unlock-after-restart');
    await unlock(PASSWORD);
    await nav('dashboard');
    await seeText('1,234.56');
    await nav('assets');
    await seeText('ETF World');
    await screenshot('assets-after-restart');
  });

  await step('back to an older backup from Settings, without a password', async () => {
    await nav('settings');
    await click('Backups');
    await click('Back up now');
    await seeText('created.');
    await nav('update');
    await type('ETF World', '2000');
    await click('Save 1 value');
    await seeText('Saved: 0 new values, 1 replaced');
    await nav('dashboard');
    await seeText('2,000.00');
    await nav('settings');
    await click('Backups');
    // Newest first: the backup just made, before the new value.
    await click('Restore');
    await seeText('kept aside for 30 days');
    await screenshot('restore-older-backup');
    await click('Replace my data');
    await seeText('1,234.56', 60000);
    await nav('dashboard');
    await seeText('1,234.56');
  });

  await step('SIGTERM (logout, shutdown, kill): locked, the change backed up, the app gone', async () => {
    const backupsNow = () => readdirSync(join(DATA, 'profiles')).flatMap((id) => {
      const dir = join(DATA, 'profiles', id, 'backups');
      return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.patrimoine-backup')) : [];
    });
    await nav('accounts');
    await click('Add an institution');
    await type('Name', 'Fortuneo');
    await select('Institution type', 'bank');
    await click('Save');
    await seeText('Fortuneo');
    const before = backupsNow().length;
    await ctx.terminate();
    const after = backupsNow().length;
    if (after !== before + 1) throw new Error(`the backup on lock was not made (${before} → ${after} backups)`);
    await start();
    await unlock(PASSWORD);
    await nav('accounts');
    await seeText('Fortuneo');
  });

  await step('change the password in Settings: the old one stops working, older backups stay the profile\'s', async () => {
    await nav('settings');
    await click('Security');
    await type('Current password', 'not my password');
    await type('New password', SECOND_PASSWORD);
    await type('Confirm the password', SECOND_PASSWORD);
    await click('Change password');
    await seeText('Wrong password', 30000);
    await type('Current password', PASSWORD);
    await screenshot('change-password');
    await click('Change password');
    await seeText('Password changed.', 60000);
    await click('Lock');
    await unlock(PASSWORD);
    await seeText('Wrong password', 30000);
    await unlock(SECOND_PASSWORD);
    await nav('dashboard');
    await seeText('1,234.56', 60000);
    // The backups made before the change are still this profile's (its key history).
    await nav('settings');
    await click('Backups');
    await seeText('Back up now');
    if (await ctx.browser.execute(HAS_TEXT, 'are not its backups')) throw new Error('older backups listed as not the profile\'s');
    await screenshot('backups-after-password-change');
  });

  await step('export to a USB stick, lose the vault, restore with the recovery key', async () => {
    mkdirSync(USB, { recursive: true });
    // The export button opens a native save dialog, which WebDriver cannot drive: the
    // test calls the same command the dialog's answer goes to.
    const path = join(USB, 'alice.patrimoine-backup');
    const res = await ctx.browser.executeAsync((p, done) => {
      window.__TAURI_INTERNALS__.invoke('export_backup', { path: p }).then((r) => done(JSON.stringify(r)), (e) => done('ERR ' + JSON.stringify(e)));
    }, path);
    if (res.startsWith('ERR')) throw new Error(`export failed: ${res}`);
    await quit();
    const profiles = join(DATA, 'profiles');
    for (const id of readdirSync(profiles)) {
      for (const f of ['vault.db', 'vault.db-wal', 'vault.db-shm']) rmSync(join(profiles, id, f), { force: true });
    }
    await start();
    await seeText('A problem was found with your data.');
    await seeText('is missing');
    await seeText('Removable drive', 30000);
    await screenshot('restore-wizard');
    const choose = await ctx.browser.execute(() => {
      const row = [...document.querySelectorAll('tr')].find((r) => r.innerText.includes('Removable') || r.innerText.includes('USB'));
      return row ? [...row.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Choose') ?? null : null;
    });
    if (!choose) throw new Error('the exported backup is not listed');
    await ctx.browser.$(choose).click();
    await (await field('the recovery key')).click();
    // Alice is still registered here: her current recovery key, and a new password.
    await seeText('which is on this computer');
    await type('Current recovery key of “Alice”', recoveryKey);
    await type('New password', NEW_PASSWORD);
    await type('Confirm the password', NEW_PASSWORD);
    await screenshot('restore-identify');
    await click('Check the backup');
    await seeText('What the backup contains', 60000);
    await seeText('1,234.56');
    await screenshot('restore-preview');
    await click('Restore');
    await nav('dashboard');
    await seeText('1,234.56', 60000);
    await screenshot('dashboard-after-restore');
    await click('Lock');
    await unlock(NEW_PASSWORD);
    await nav('assets');
    await seeText('ETF World');
  });

  await step('a page of the vault damaged on disk: found after unlock, restore wizard', async () => {
    await quit();
    const profiles = join(DATA, 'profiles');
    for (const id of readdirSync(profiles)) {
      const vault = join(profiles, id, 'vault.db');
      if (!existsSync(vault)) continue;
      const bytes = readFileSync(vault);
      // The last page holds table data written last (values, audit): not needed to
      // open the vault, read by the full check.
      const page = bytes.length / 4096 - 1;
      bytes[page * 4096 + 200] ^= 0x40;
      writeFileSync(vault, bytes);
    }
    await start();
    await seeText('Open a profile');
    await unlock(NEW_PASSWORD);
    await seeText('is damaged and cannot be read', 30000);
    await screenshot('damaged-after-unlock');
  });
} catch {
  // Reported by step(); fall through to the summary.
} finally {
  await ctx.finish('e2e-app', 11, () => {
    rmSync(DATA, { recursive: true, force: true });
    rmSync(USB, { recursive: true, force: true });
  });
}
