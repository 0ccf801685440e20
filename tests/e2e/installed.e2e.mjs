// The installed app opens a profile that exists: started from /usr/bin/patrimoine
// (PATRIMOINE_APP) on the data folder PATRIMOINE_DATA_DIR, it unlocks PROFILE with
// PASSWORD, shows the net worth EXPECT_NET_WORTH (as the English dashboard writes it),
// and Settings › About names the version EXPECT_VERSION and that data folder, which its
// Copy button copies.
// Run by .ci/package-test after an upgrade and after a reinstall.
import { e2e } from './driver.mjs';

const { PATRIMOINE_DATA_DIR: DATA, PROFILE, PASSWORD, EXPECT_NET_WORTH, EXPECT_VERSION, SHOT_PREFIX } = process.env;
for (const [k, v] of Object.entries({ PATRIMOINE_DATA_DIR: DATA, PROFILE, PASSWORD, EXPECT_NET_WORTH, EXPECT_VERSION })) {
  if (!v) {
    console.error(`installed.e2e.mjs: ${k} is not set`);
    process.exit(2);
  }
}
const plain = (s) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
const ctx = await e2e({
  env: { PATRIMOINE_DATA_DIR: DATA, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', PATRIMOINE_SUSPEND_BUS: 'session' },
  prefix: SHOT_PREFIX || 'installed-',
});
const { start, click, type, seeText, screenshot, nav, step } = ctx;

try {
  await start();
  await step(`the installed app opens "${PROFILE}" with its data`, async () => {
    await seeText('Unlock');
    await type('Password', PASSWORD);
    await click('Unlock');
    let got = null;
    await ctx.browser.waitUntil(
      async () => plain(got = await ctx.browser.execute(() => document.querySelector('[data-testid="net-worth"]')?.textContent ?? null)) === EXPECT_NET_WORTH,
      { timeout: 30000, timeoutMsg: `net worth: wanted ${EXPECT_NET_WORTH}, got ${plain(got)}` },
    );
    await screenshot('dashboard');
  });
  await step('Settings › About: the version and the data folder', async () => {
    await nav('settings');
    await click('About');
    await seeText(`Patrimoine ${EXPECT_VERSION}`);
    await seeText(DATA);
    // Copying works in the real webview (the async clipboard, or the fallback).
    await (await ctx.browser.$('[data-about="data"] button')).click();
    await seeText('Copied to the clipboard');
    await screenshot('about');
    await ctx.quit();
  });
} catch {
  // Reported by step(); fall through to the summary.
} finally {
  await ctx.finish('e2e-installed', 2);
}
