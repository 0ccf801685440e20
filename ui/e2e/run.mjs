// End-to-end tests: builds the UI, serves dist/ on 127.0.0.1, injects the in-memory fake
// backend (src/test/fake, bundled here into one script) as Tauri's IPC with
// page.addInitScript, and drives Debian's Chromium through playwright-core.
// Screenshots go to artifacts/screenshots/.
// Prints "N passed, M failed" and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const UI = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = join(UI, 'dist');
const SHOTS = join(UI, 'artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// ---- Build ------------------------------------------------------------------------
if (!process.env.E2E_SKIP_BUILD) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(UI, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: UI, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('vite build failed');
    process.exit(1);
  }
  console.log(`built dist/ in ${Date.now() - t0} ms`);
}
// The fake backend is TypeScript typed against the generated contract: bundled into
// one classic script (window.PatrimoineFake) for the pages' init script.
async function bundleFake() {
  const out = await build({
    configFile: false,
    root: UI,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: join(UI, 'src', 'test', 'fake', 'index.ts'), formats: ['iife'], name: 'PatrimoineFake', fileName: () => 'fake.js' },
    },
  });
  const chunk = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output).find((c) => c.type === 'chunk');
  if (!chunk) throw new Error('the fake backend did not bundle');
  return chunk.code;
}
const FAKE = await bundleFake();
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  process.exit(1);
}
mkdirSync(SHOTS, { recursive: true });

// ---- Static server ------------------------------------------------------------------
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json' };
const server = createServer((req, res) => {
  const url = new URL(req.url || '/', 'http://127.0.0.1');
  let path = normalize(join(DIST, decodeURIComponent(url.pathname)));
  if (!path.startsWith(DIST)) { res.writeHead(403).end(); return; }
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
  if (!existsSync(path)) { res.writeHead(404).end('not found'); return; }
  res.writeHead(200, { 'content-type': TYPES[extname(path)] || 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(readFileSync(path));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const BASE = `http://127.0.0.1:${server.address().port}/`;

// ---- Tiny test runner ---------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}\n    ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n    ')}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(`assertion failed: ${msg}`); }
const norm = (s) => (s || '').replace(/[\u00a0\u202f]/g, ' ');

/** A page with the fake backend installed before any app script runs. */
async function openApp({ locale = 'fr-FR', viewport = { width: 1280, height: 800 }, backend = {}, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ locale, viewport, colorScheme, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`network: ${r.url()}`); });
  await page.addInitScript({ content: `${FAKE}\nPatrimoineFake.installFakeBackend(${JSON.stringify(backend)});` });
  await page.goto(BASE);
  return { page, context, problems };
}
async function shot(page, name) {
  await page.waitForTimeout(120);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}
async function noProblems(problems) {
  assert(problems.length === 0, `no page errors, console errors or network requests:\n${problems.join('\n')}`);
}
const btn = (page, name) => page.getByRole('button', { name, exact: true });

// ---- Scenarios ----------------------------------------------------------------------
console.log('e2e: Chromium', browser.version());

await test('first run in French: create a profile, recovery key, keychain, empty dashboard', async () => {
  const { page, context, problems } = await openApp({ viewport: { width: 1024, height: 700 } });
  await page.getByRole('heading', { name: 'Bienvenue dans Patrimoine' }).waitFor();
  await shot(page, '01-first-run-1024');
  await btn(page, 'Créer mon profil').click();
  await page.getByText('Donnez un nom à votre profil.').waitFor();
  await page.getByLabel('Nom du profil').fill('Camille');
  await page.getByLabel('Mot de passe', { exact: true }).fill('un mot de passe solide');
  await page.getByLabel('Confirmez le mot de passe').fill('un mot de passe solide');
  await shot(page, '02-first-run-filled-1024');
  await btn(page, 'Créer mon profil').click();
  await page.getByRole('heading', { name: 'Votre clé de secours' }).waitFor();
  assert(await page.locator('#app .rk-groups li').count() === 8, '8 groups shown');
  const cont = btn(page, 'Continuer');
  assert(await cont.isDisabled(), 'continue disabled until the key is saved');
  await shot(page, '03-recovery-key-1024');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(SHOTS, '04-emergency-kit-print.png'), fullPage: true });
  const kitVisible = await page.locator('#print-root .emergency-kit').isVisible();
  const appHidden = !(await page.locator('#app').isVisible());
  await page.emulateMedia({ media: 'screen' });
  assert(kitVisible && appHidden, 'print media shows only the Emergency Kit');
  await page.getByLabel('J’ai mis ma clé de secours en lieu sûr').check();
  await cont.click();
  await page.getByRole('heading', { name: 'Déverrouiller avec le trousseau de cet appareil' }).waitFor();
  await shot(page, '05-keychain-1024');
  await btn(page, 'Plus tard').click();
  await page.getByText('Commençons').waitFor();
  await shot(page, '06-dashboard-empty-1024');
  await noProblems(problems);
  await context.close();
});

await test('add institution, account and assets; weights must total 100; update values; dashboard sum in French', async () => {
  const { page, context, problems } = await openApp({ backend: {} });
  await page.getByLabel('Nom du profil').fill('Camille');
  await page.getByLabel('Mot de passe', { exact: true }).fill('un mot de passe solide');
  await page.getByLabel('Confirmez le mot de passe').fill('un mot de passe solide');
  await btn(page, 'Créer mon profil').click();
  await page.getByLabel('J’ai mis ma clé de secours en lieu sûr').check();
  await btn(page, 'Continuer').click();
  await btn(page, 'Plus tard').click();

  // Institution and account.
  await page.locator('[data-nav="accounts"]').click();
  await page.getByText('Aucun établissement').waitFor();
  await shot(page, '07-accounts-empty');
  await page.getByRole('button', { name: 'Ajouter un établissement' }).first().click();
  await page.getByRole('dialog').getByLabel('Nom').fill('Boursorama');
  await page.getByRole('dialog').getByLabel('Type d’établissement').selectOption('broker');
  await shot(page, '08-institution-form');
  await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: 'Boursorama' }).waitFor();
  await page.getByRole('button', { name: 'Ajouter un compte' }).first().click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('Nom').fill('PEA');
  await dlg.getByLabel('Type de compte').selectOption('pea');
  await dlg.getByLabel('Ouvert le').fill('2020-01-15');
  await shot(page, '09-account-form');
  await dlg.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('cell', { name: 'PEA', exact: true }).first().waitFor();
  await shot(page, '10-accounts');
  await assertFitsBoth(page, '10-accounts');

  // Asset with allocation weights that do not total 100, then fixed.
  await page.locator('[data-nav="assets"]').click();
  await page.getByText('Aucun actif').waitFor();
  await page.getByRole('button', { name: 'Ajouter un actif' }).first().click();
  const a = page.getByRole('dialog');
  await a.getByLabel('Nom', { exact: true }).fill('ETF Monde');
  await a.getByLabel('Classe').selectOption('fund');
  const region = a.locator('[data-testid="weights-region"]');
  await region.getByRole('button', { name: 'Ajouter une ligne' }).click();
  await region.getByRole('button', { name: 'Ajouter une ligne' }).click();
  await region.getByLabel('Poche 1').fill('Europe');
  await region.getByLabel('Poids 1').fill('60');
  await region.getByLabel('Poche 2').fill('Amérique du Nord');
  await region.getByLabel('Poids 2').fill('30,5');
  await region.getByText('Total 90,5 % : il doit faire exactement 100 %.').waitFor();
  await a.getByRole('button', { name: 'Enregistrer' }).click();
  await a.getByText('Corrigez les répartitions en rouge avant d’enregistrer.').waitFor();
  await shot(page, '11-asset-weights-invalid');
  await region.getByLabel('Poids 2').fill('40');
  await region.getByText('Total 100 %').waitFor();
  await a.getByLabel('Part détenue (%)').fill('cent');
  await a.getByRole('button', { name: 'Enregistrer' }).click();
  await a.getByText('Saisissez un pourcentage entre 0 et 100.').waitFor();
  await a.getByLabel('Part détenue (%)').fill('100');
  // A mistyped ISIN check digit is named as such.
  await a.getByLabel('ISIN').fill('FR0000120272');
  await a.getByRole('button', { name: 'Enregistrer' }).click();
  await a.getByText('Le dernier caractère de cet ISIN ne correspond pas aux autres', { exact: false }).waitFor();
  await a.getByLabel('ISIN').fill('FR0000120271');
  await a.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('button', { name: 'ETF Monde' }).waitFor();

  await page.getByRole('button', { name: 'Ajouter un actif' }).first().click();
  const b = page.getByRole('dialog');
  await b.getByLabel('Nom', { exact: true }).fill('Liquidités PEA');
  // The liability box follows the class both ways: a loan is a debt, cash is not.
  const debt = b.getByLabel('C’est une dette');
  await b.getByLabel('Classe').selectOption('loan');
  assert(await debt.isChecked() && await debt.isDisabled(), 'a loan is a debt');
  await b.getByLabel('Classe').selectOption('cash');
  assert(!(await debt.isChecked()) && !(await debt.isDisabled()), 'back to cash: no longer a debt');
  await b.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('button', { name: 'Liquidités PEA' }).waitFor();
  await shot(page, '12-assets');
  await assertFitsBoth(page, '12-assets');

  // Update values: invalid input is highlighted and blocks saving; then save.
  await page.locator('[data-nav="update"]').click();
  const etf = page.getByLabel('ETF Monde');
  await etf.waitFor();
  await etf.fill('12,34,5');
  await page.getByText('1 valeur n’est pas un nombre valide.').waitFor();
  assert(await page.locator('.actions--sticky button[type="submit"]').isDisabled(), 'save disabled with an invalid value');
  await shot(page, '13-update-values-invalid');
  await etf.fill('1 234,56');
  await etf.press('Enter');
  const cash = page.getByLabel('Liquidités PEA');
  assert(await cash.evaluate((el) => el === document.activeElement), 'Enter moves to the next input');
  await cash.fill('2 000');
  await page.getByRole('button', { name: 'Enregistrer 2 valeurs' }).click();
  await page.getByText('Enregistré : 2 nouvelles valeurs, 0 remplacée.').waitFor();
  await shot(page, '14-update-values-saved');
  assert(!(await page.locator('tr', { hasText: 'Liquidités PEA' }).getByText('Dette').count()), 'the cash is not listed as a debt');
  // "22.950" is never guessed; a value ten times the last one asks first.
  await etf.fill('22.950');
  const rowError = page.locator('tr', { hasText: 'ETF Monde' }).locator('.field__error');
  await rowError.waitFor();
  const said = norm(await rowError.innerText());
  assert(said.includes('peut se lire 22 950 ou 22,95'), `both readings shown (got ${JSON.stringify(said)})`);
  await shot(page, '14b-update-values-ambiguous');
  await etf.fill('12 345,60');
  await page.getByRole('button', { name: 'Enregistrer 1 valeur' }).click();
  await page.getByText('Cette nouvelle valeur est dix fois plus grande ou plus petite que la précédente.', { exact: false }).waitFor();
  const asked = norm(await page.locator('[data-testid="update-confirm"]').innerText());
  assert(asked.includes('ETF Monde : 1 234,56 € → 12 345,60 €'), `the confirmation lists the change (got ${JSON.stringify(asked)})`);
  await shot(page, '14c-update-values-confirm');
  await page.getByRole('button', { name: 'Je corrige' }).click();
  await etf.fill('1 234,56');
  await page.getByRole('button', { name: 'Enregistrer 1 valeur' }).click();
  await page.getByText('Enregistré : 0 nouvelle valeur, 1 remplacée.').waitFor();

  // Dashboard: the sum, formatted the French way.
  await page.locator('[data-nav="dashboard"]').click();
  const nw = page.locator('[data-testid="net-worth"]');
  await nw.waitFor();
  const shown = await nw.textContent();
  assert(norm(shown) === '3 234,56 €', `net worth is 3 234,56 € (got ${JSON.stringify(shown)})`);
  assert(/[\u202f\u00a0]/.test(shown), 'uses the no-break spaces Intl produces');
  await page.locator('.chart__svg svg').first().waitFor();
  await shot(page, '15-dashboard-fr');
  await assertFitsBoth(page, '15-dashboard-fr');

  // Cash flow: a bad amount is refused inline.
  await page.locator('[data-nav="cashflows"]').click();
  await page.getByRole('button', { name: 'Ajouter un flux' }).click();
  const f = page.getByRole('dialog');
  await f.getByLabel('Montant (EUR)').fill('12abc');
  await f.getByRole('button', { name: 'Enregistrer' }).click();
  await f.getByText('Saisissez un nombre, par exemple 1 234,56.').waitFor();
  await shot(page, '16-cash-flow-invalid');
  await f.getByLabel('Montant (EUR)').fill('1 500');
  await f.getByLabel('Type').selectOption('out');
  await f.getByLabel('Date').fill('2025-12-01');
  await f.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Retrait').first().waitFor();
  // A negative amount has the minus sign U+2212, the first of the month is "1er".
  const flowRow = norm(await page.locator('tbody tr', { hasText: 'Retrait' }).first().innerText());
  assert(flowRow.includes('−1 500,00 €') && !flowRow.includes('-1'), `the withdrawal reads −1 500,00 € (got ${JSON.stringify(flowRow)})`);
  assert(flowRow.includes('1er déc. 2025'), `the date reads 1er déc. 2025 (got ${JSON.stringify(flowRow)})`);
  await shot(page, '17-cash-flows');
  await assertFitsBoth(page, '17-cash-flows');
  await noProblems(problems);
  await context.close();
});

await test('wrong password in French, then throttling countdown', async () => {
  const { page, context, problems } = await openApp({ backend: { demo: true, throttleAfter: 1, throttleSecs: 30 } });
  await page.getByRole('heading', { name: 'Ouvrir un profil' }).waitFor();
  await shot(page, '18-unlock');
  await page.getByLabel('Mot de passe').fill('pas le bon');
  await btn(page, 'Déverrouiller').click();
  await page.getByText('Mot de passe incorrect. Vérifiez la touche Verr. Maj et réessayez').waitFor();
  await shot(page, '19-unlock-wrong-password');
  await btn(page, 'Déverrouiller').click();
  await page.getByText(/Trop de tentatives\. Réessayez dans (29|30) s\./).waitFor();
  const wait = page.getByRole('button', { name: /Patientez \d+ s/ });
  assert(await wait.isDisabled(), 'unlock disabled while throttled');
  const first = await wait.textContent();
  await page.waitForTimeout(1300);
  const later = await wait.textContent();
  assert(first !== later, `the countdown moves (${first} → ${later})`);
  await shot(page, '20-unlock-throttled');
  await page.getByRole('button', { name: 'Mot de passe oublié ?' }).click();
  await page.getByLabel('Clé de secours').fill('AAAA');
  assert(await page.getByRole('button', { name: /Patientez \d+ s/ }).isDisabled(), 'recovery unlock also waits');
  await noProblems(problems);
  await context.close();
});

/** Nothing sticks out of the window or out of a card (a table wider than its card). */
async function assertFits(page, where) {
  const over = await page.evaluate(() => {
    const out = [];
    if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth} > ${innerWidth}`);
    for (const c of document.querySelectorAll('.card')) {
      if (c.scrollWidth > c.clientWidth + 1) out.push(`card "${c.querySelector('h2, h3')?.textContent ?? ''}" ${c.scrollWidth} > ${c.clientWidth}`);
    }
    return out;
  });
  if (over.length) await shot(page, `fit-failed-${where.replace(/\W+/g, '-')}`);
  assert(over.length === 0, `${where}: content wider than its box: ${over.join('; ')}`);
}

/** [`assertFits`] at 1280×800 and at the smallest supported window, 1024×700. */
async function assertFitsBoth(page, where) {
  for (const [width, height] of [[1024, 700], [1280, 800]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(50);
    if (width === 1024) await shot(page, `${where.replace(/\W+/g, '-')}-1024`);
    await assertFits(page, `${where} at ${width}`);
  }
}

await test('English: wrong password message, demo dashboard, every screen at 1280×800 and 1024×700', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
    const tag = `${viewport.width}`;
    const { page, context, problems } = await openApp({ locale: 'en-US', viewport, backend: { demo: true } });
    await page.getByRole('heading', { name: 'Open a profile' }).waitFor();
    await page.getByLabel('Password').fill('nope');
    await btn(page, 'Unlock').click();
    await page.getByText('Wrong password. Check Caps Lock and try again').waitFor();
    await page.getByLabel('Password').fill('demo password');
    await btn(page, 'Unlock').click();
    await page.locator('[data-testid="net-worth"]').waitFor();
    const nw = await page.locator('[data-testid="net-worth"]').textContent();
    // The demo's total today (its bare ownership follows the usufructuary's age), as the backend gives it.
    const expected = await page.evaluate(async (d) => (await window.__FAKE_BACKEND__.handle('net_worth', { date: d })).net_worth, await page.evaluate(() => { const n = new Date(); return `${n.getFullYear()}-${String(n.getMonth() + 1).padStart(2, '0')}-${String(n.getDate()).padStart(2, '0')}`; }));
    assert(/^€\d{1,3}(,\d{3})*\.\d{2}$/.test(nw) && nw.replace(/[€,]/g, '') === expected, `English net worth €${expected} (got ${nw})`);
    await page.locator('.chart__svg svg').first().waitFor();
    await page.locator('table').last().waitFor();
    await shot(page, `21-dashboard-en-${tag}`);
    await assertFits(page, `dashboard at ${tag}`);

    // Chart tooltip: pointer and keyboard.
    const overlay = page.locator('.chart__overlay').first();
    const box = await overlay.boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.locator('.chart__tooltip').first().waitFor();
    await shot(page, `22-dashboard-tooltip-${tag}`);
    await page.mouse.move(0, 0);
    await overlay.focus();
    await page.keyboard.press('ArrowLeft');
    const tip = await page.locator('.chart__tooltip').first().textContent();
    assert(/€/.test(tip), `keyboard tooltip shows a value (${tip})`);

    await page.evaluate(() => window.scrollTo(0, 900));
    await shot(page, `23-dashboard-lower-${tag}`);
    await page.evaluate(() => window.scrollTo(0, 0));

    const screens = ['update', 'accounts', 'assets', 'cashflows', 'fx', 'io', 'settings'];
    for (const s of screens) {
      await page.locator(`[data-nav="${s}"]`).click();
      await page.locator('.page__header h1').waitFor();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(150);
      await shot(page, `30-${s}-${tag}`);
      await assertFits(page, `${s} at ${tag}`);
    }
    // Asset detail and its form.
    await page.locator('[data-nav="assets"]').click();
    await page.getByRole('button', { name: 'ETF MSCI World' }).click();
    await page.getByRole('heading', { name: 'ETF MSCI World' }).waitFor();
    await page.locator('.chart__svg svg').first().waitFor();
    await shot(page, `31-asset-detail-${tag}`);
    await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
    await page.getByRole('dialog').waitFor();
    await shot(page, `32-asset-form-${tag}`);
    await page.keyboard.press('Escape');

    // Settings tabs.
    await page.locator('[data-nav="settings"]').click();
    for (const tab of ['Security', 'Backups', 'Audit log', 'Profiles', 'About']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(200);
      await shot(page, `33-settings-${tab.toLowerCase().replace(/ /g, '-')}-${tag}`);
    }
    await page.getByRole('tab', { name: 'Backups' }).click();
    await page.getByRole('button', { name: 'Verify backups' }).click();
    await page.getByText('The backup is intact.').waitFor();

    // Import: dry run with errors, then import skipping the bad lines.
    await page.locator('[data-nav="io"]').click();
    await page.evaluate(() => { window.__FAKE_DIALOG_QUEUE__ = ['/home/user/bad-statements.csv']; });
    await page.getByRole('button', { name: 'Choose a CSV file…' }).click();
    await page.getByText('2 errors found:').waitFor();
    await page.getByText('Unreadable number: use for example 1234.56.').waitFor();
    await shot(page, `34-import-preview-${tag}`);
    await page.getByRole('button', { name: 'Import and skip 2 bad lines' }).click();
    await page.locator('[data-testid="import-result"]').waitFor();

    // Exchange rates: ECB import report.
    await page.locator('[data-nav="fx"]').click();
    await page.evaluate(() => { window.__FAKE_DIALOG_QUEUE__ = ['/home/user/eurofxref-hist.csv']; });
    await page.getByRole('button', { name: 'Import the ECB file…' }).click();
    await page.getByText('10 rates imported for 2 currencies.').waitFor();
    await shot(page, `35-fx-imported-${tag}`);

    await page.locator('[data-testid="lock"]').click();
    await page.getByRole('heading', { name: 'Open a profile' }).waitFor();
    await noProblems(problems);
    await context.close();
  }
});

await test('restore wizard opens when a profile is damaged, and restores with the password', async () => {
  const { page, context, problems } = await openApp({ backend: { demo: true, health: [{ name: 'Demo', state: 'vault_damaged' }] } });
  await page.getByRole('heading', { name: 'Restaurer une sauvegarde' }).waitFor();
  await page.getByText('Le fichier de données du profil « Demo » est endommagé').waitFor();
  await shot(page, '40-restore-wizard');
  await page.getByRole('button', { name: 'Choisir' }).first().click();
  // The backup's profile is here: its current password, which it keeps.
  await page.getByText('Cette sauvegarde appartient au profil « Demo », présent sur cet ordinateur', { exact: false }).waitFor();
  const current = page.getByLabel('Mot de passe actuel de « Demo »', { exact: true });
  await current.fill('wrong one');
  await page.getByRole('button', { name: 'Vérifier la sauvegarde' }).click();
  await page.getByText('Mot de passe incorrect.', { exact: false }).waitFor();
  await current.fill('demo password');
  await page.getByRole('button', { name: 'Vérifier la sauvegarde' }).click();
  await page.getByRole('heading', { name: 'Contenu de la sauvegarde' }).waitFor();
  await shot(page, '41-restore-preview');
  await page.getByRole('button', { name: 'Restaurer', exact: true }).click();
  await page.locator('[data-testid="net-worth"]').waitFor();
  await noProblems(problems);
  await context.close();
});

await test('a backup of a profile not on this computer restores as a new profile, with a new password and a new recovery key', async () => {
  const { page, context, problems } = await openApp({ backend: { foreignBackup: true, health: [] } });
  await page.getByRole('button', { name: 'Restaurer depuis une sauvegarde' }).first().click();
  await page.getByRole('heading', { name: 'Restaurer une sauvegarde' }).waitFor();
  await page.getByRole('button', { name: 'Choisir' }).first().click();
  await page.getByText('Ce profil n’est pas sur cet ordinateur', { exact: false }).waitFor();
  await page.getByLabel('Mot de passe de la sauvegarde', { exact: true }).fill('camille password');
  // A new password is required for the new profile.
  await page.getByRole('button', { name: 'Vérifier la sauvegarde' }).click();
  await page.getByText('Le mot de passe doit contenir au moins 10 caractères.', { exact: false }).first().waitFor();
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('camille nouveau 2026');
  await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill('camille nouveau 2026');
  await shot(page, '42-restore-as-new-fr');
  await page.getByRole('button', { name: 'Vérifier la sauvegarde' }).click();
  await page.getByRole('heading', { name: 'Contenu de la sauvegarde' }).waitFor();
  await page.getByText('sera créé sur cet ordinateur avec le nouveau mot de passe', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Restaurer', exact: true }).click();
  await page.getByText('Le profil restauré a une nouvelle clé de secours', { exact: false }).waitFor();
  await shot(page, '43-restore-new-recovery-key-fr');
  await noProblems(problems);
  await context.close();
});

await test('security settings: every credential change asks for the current password, in French and English', async () => {
  for (const lang of ['fr', 'en']) {
    const fr = lang === 'fr';
    const { page, context, problems } = await openApp({ locale: fr ? 'fr-FR' : 'en-US', backend: { demo: true } });
    await page.getByLabel(fr ? 'Mot de passe' : 'Password', { exact: true }).fill('demo password');
    await btn(page, fr ? 'Déverrouiller' : 'Unlock').click();
    await page.locator('[data-testid="net-worth"]').waitFor();
    await page.locator('[data-nav="settings"]').click();
    await page.getByRole('tab', { name: fr ? 'Sécurité' : 'Security' }).click();
    const current = page.getByLabel(fr ? 'Mot de passe actuel' : 'Current password', { exact: true });
    await current.fill('not the password');
    await page.getByLabel(fr ? 'Nouveau mot de passe' : 'New password', { exact: true }).fill('a brand new password');
    await page.getByLabel(fr ? 'Confirmez le mot de passe' : 'Confirm the password', { exact: true }).fill('a brand new password');
    await page.getByRole('button', { name: fr ? 'Changer le mot de passe' : 'Change password' }).click();
    await page.getByText(fr ? 'Mot de passe incorrect.' : 'Wrong password.', { exact: false }).first().waitFor();
    await shot(page, `44-security-wrong-current-${lang}`);
    await current.fill('demo password');
    await page.getByRole('button', { name: fr ? 'Changer le mot de passe' : 'Change password' }).click();
    await page.getByText(fr ? 'Mot de passe changé.' : 'Password changed.').waitFor();
    // A new recovery key: confirmed in a dialog with the (new) password.
    await page.getByRole('button', { name: fr ? 'Créer une nouvelle clé de secours' : 'Make a new recovery key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(fr ? 'Mot de passe actuel' : 'Current password', { exact: true }).fill('a brand new password');
    await shot(page, `45-security-regenerate-confirm-${lang}`);
    await dialog.getByRole('button', { name: fr ? 'Créer la nouvelle clé' : 'Make the new key' }).click();
    await page.getByRole('heading', { name: fr ? 'Votre clé de secours' : 'Your recovery key' }).waitFor();
    await noProblems(problems);
    await context.close();
  }
});

/** Unlocks the demo profile, then adds a second profile, Bob (the demo is the admin). */
async function demoAndBob(page, fr) {
  await page.getByLabel(fr ? 'Mot de passe' : 'Password', { exact: true }).fill('demo password');
  await btn(page, fr ? 'Déverrouiller' : 'Unlock').click();
  await page.locator('[data-testid="net-worth"]').waitFor();
  await page.evaluate(() => window.__FAKE_BACKEND__.handle('create_profile', { name: 'Bob', password: 'mot de passe de Bob', base_currency: 'EUR' }));
  // Locked and opened again, the app knows of Bob (Settings › Profiles would refresh it too).
  await page.locator('[data-testid="lock"]').click();
  await page.getByLabel(fr ? 'Mot de passe' : 'Password', { exact: true }).fill('demo password');
  await btn(page, fr ? 'Déverrouiller' : 'Unlock').click();
  await page.locator('[data-testid="switch-profile"]').waitFor();
  await page.locator('[data-testid="net-worth"]').waitFor();
}

await test('first hour, in French and English: date hint, unsaved input asks, shortcuts, accent-blind search, switch profile', async () => {
  for (const lang of ['fr', 'en']) {
    const fr = lang === 'fr';
    const L = (f, e) => (fr ? f : e);
    const { page, context, problems } = await openApp({ locale: L('fr-FR', 'en-US'), backend: { demo: true } });
    await demoAndBob(page, fr);

    // Update values: "today by default" until the date changes.
    await page.locator('[data-nav="update"]').click();
    const hint = page.getByText(L('Aujourd’hui par défaut.', 'Today by default.'));
    await hint.waitFor();
    await shot(page, `50-update-date-hint-${lang}`);
    await page.getByLabel(L('Date des valeurs', 'Date of the values')).fill('2025-12-01');
    await hint.waitFor({ state: 'detached' });
    const header = norm(await page.locator('thead th').last().innerText());
    assert(header.toLowerCase() === L('valeur au 1er déc. 2025', 'value on 1 dec 2025'), `the column names the date (got ${JSON.stringify(header)})`);
    await shot(page, `51-update-date-changed-${lang}`);

    // Typed and unsaved: leaving asks; "Stay" keeps it, "Leave without saving" drops it.
    const livret = page.getByLabel('Livret A', { exact: true });
    await livret.fill('21 700');
    await page.locator('[data-nav="dashboard"]').click();
    const ask = page.getByRole('dialog');
    await ask.getByRole('heading', { name: L('Quitter sans enregistrer ?', 'Leave without saving?') }).waitFor();
    await shot(page, `52-unsaved-dialog-${lang}`);
    await ask.getByRole('button', { name: L('Rester', 'Stay'), exact: true }).click();
    assert(await livret.inputValue() === '21 700', 'Stay keeps what was typed');
    await page.locator('[data-nav="dashboard"]').click();
    await ask.getByRole('button', { name: L('Quitter sans enregistrer', 'Leave without saving'), exact: true }).click();
    await page.locator('[data-testid="net-worth"]').waitFor();

    // Keyboard shortcuts: ? lists them, V, N and the digits act, not while typing.
    await page.keyboard.press('?');
    await page.getByRole('heading', { name: L('Raccourcis clavier', 'Keyboard shortcuts') }).waitFor();
    await shot(page, `53-shortcuts-${lang}`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('v');
    await page.locator('[data-nav="update"][aria-current="page"]').waitFor();
    await page.keyboard.press('n');
    await page.getByRole('dialog').getByRole('heading', { name: L('Nouvel actif', 'New asset') }).waitFor();
    await page.keyboard.press('Escape');
    const search = page.getByLabel(L('Rechercher', 'Search'));
    await search.fill('pret');
    await search.press('1');
    assert(await page.locator('[data-nav="assets"][aria-current="page"]').count() === 1, 'typing "1" in the search stays on Assets');

    // The search ignores accents: "pret" finds the loans of the account "Prêt immo".
    await search.fill('pret');
    const names = () => page.locator('tbody td:first-child .btn--link').allInnerTexts();
    await page.waitForFunction(() => document.querySelectorAll('tbody td:first-child .btn--link').length === 2);
    assert(JSON.stringify(await names()) === '["Emprunt Appartement Lyon","Emprunt résidence"]', `"pret" finds the loans (got ${await names()})`);
    await search.fill('CREDIT agricole livret');
    await page.waitForFunction(() => document.querySelectorAll('tbody td:first-child .btn--link').length === 1);
    await shot(page, `54-assets-search-${lang}`);
    await search.evaluate((el) => el.blur());
    await page.keyboard.press('1');
    await page.locator('[data-testid="net-worth"]').waitFor();

    // Two counts, each with its plural.
    await page.keyboard.press('v');
    await page.getByLabel('Livret A', { exact: true }).fill('21 700');
    await page.getByLabel('Appartement Lyon', { exact: true }).fill('330 000');
    await page.getByRole('button', { name: L('Enregistrer 2 valeurs', 'Save 2 values') }).click();
    await page.getByText(L('Enregistré : 1 nouvelle valeur, 1 remplacée.', 'Saved: 1 new value, 1 replaced.')).waitFor();
    await shot(page, `57-update-saved-${lang}`);

    // Audit details start with a capital; the in-use deletion sentence starts with its verb.
    // Settings by its digit, whichever place it has in the menu.
    await page.keyboard.press(await page.locator('[data-nav="settings"]').getAttribute('aria-keyshortcuts'));
    await page.getByRole('tab', { name: L('Journal', 'Audit log') }).click();
    await page.getByText(L('Avec le mot de passe', 'With the password')).first().waitFor();
    await shot(page, `58-audit-${lang}`);
    await page.keyboard.press('3');
    const boursorama = page.locator('section.card', { has: page.getByRole('heading', { name: 'Boursorama' }) });
    await boursorama.locator('.card__head').getByRole('button', { name: L('Supprimer', 'Delete'), exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: L('Supprimer', 'Delete'), exact: true }).click();
    await page.getByText(L('Supprimer l’établissement « Boursorama » supprimera aussi', 'Deleting the institution “Boursorama” also deletes'), { exact: false }).waitFor();
    await shot(page, `59-delete-in-use-${lang}`);
    await page.getByRole('dialog').getByRole('button', { name: L('Annuler', 'Cancel'), exact: true }).click();
    await page.keyboard.press('1');
    await page.locator('[data-testid="net-worth"]').waitFor();

    // Switch profile: locked, the picker open, nothing chosen; then the last one preselected.
    await page.locator('[data-testid="switch-profile"]').click();
    await page.getByRole('heading', { name: L('Ouvrir un profil', 'Open a profile') }).waitFor();
    const radios = page.locator('input[type="radio"][name="profile"]');
    await radios.first().waitFor();
    assert(await radios.count() === 2, 'both profiles offered');
    assert(await page.locator('input[type="radio"][name="profile"]:checked').count() === 0, 'none chosen');
    assert(await radios.first().evaluate((el) => el === document.activeElement), 'the picker has the focus');
    await shot(page, `55-switch-profile-${lang}`);
    await page.locator('input[type="radio"][value="Bob"]').check();
    await page.getByLabel(L('Mot de passe', 'Password'), { exact: true }).fill('mot de passe de Bob');
    await btn(page, L('Déverrouiller', 'Unlock')).click();
    await page.locator('.sidebar__name', { hasText: 'Bob' }).waitFor();
    // Shortcuts are off while typing: the key must not reach the unlock screen's
    // password field as it goes away (a race on a loaded machine).
    await page.waitForFunction(() => !document.activeElement || !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName));
    await page.keyboard.press('Control+l');
    await page.locator('[data-testid="profile-current"]', { hasText: 'Bob' }).waitFor();
    await shot(page, `56-unlock-last-profile-${lang}`);
    await noProblems(problems);
    await context.close();
  }
});

await test('dark scheme: the main screens, dialogs and focus rings; charts on a light panel; print stays light', async () => {
  for (const lang of ['fr', 'en']) {
    const fr = lang === 'fr';
    const { page, context, problems } = await openApp({ locale: fr ? 'fr-FR' : 'en-US', colorScheme: 'dark', backend: { demo: true } });
    const tag = `dark-${lang}`;
    await page.getByRole('heading', { name: fr ? 'Ouvrir un profil' : 'Open a profile' }).waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert(bg === 'rgb(14, 21, 29)', `dark background (got ${bg})`);
    await shot(page, `60-unlock-${tag}`);
    await demoAndBob(page, fr);
    await page.locator('.chart__svg svg').first().waitFor();
    const panel = await page.locator('.chart__svg').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert(panel === 'rgb(247, 249, 251)', `charts on a light panel (got ${panel})`);
    await shot(page, `61-dashboard-${tag}`);
    await assertFits(page, `dark dashboard ${lang}`);
    await page.evaluate(() => window.scrollTo(0, 900));
    await shot(page, `62-dashboard-lower-${tag}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The focus ring, from the keyboard.
    await page.locator('[data-nav="dashboard"]').focus();
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineColor}`; });
    assert(ring === 'solid rgb(142, 197, 255)', `a visible focus ring (got ${ring})`);
    await page.locator('[data-nav="assets"]').focus();
    await shot(page, `63-focus-${tag}`);
    for (const s of ['update', 'accounts', 'assets', 'cashflows', 'fx', 'io', 'settings']) {
      await page.locator(`[data-nav="${s}"]`).click();
      await page.locator('.page__header h1').waitFor();
      await page.waitForTimeout(150);
      await shot(page, `64-${s}-${tag}`);
    }
    await page.getByRole('tab', { name: fr ? 'Sauvegardes' : 'Backups' }).click();
    await page.waitForTimeout(150);
    await shot(page, `65-settings-backups-${tag}`);
    await page.getByRole('tab', { name: fr ? 'À propos' : 'About' }).click();
    await page.locator('[data-about="data"] code').waitFor();
    await shot(page, `65-settings-about-${tag}`);
    await page.locator('[data-nav="assets"]').click();
    await page.getByRole('button', { name: 'ETF MSCI World' }).click();
    await page.locator('.chart__svg svg').first().waitFor();
    await shot(page, `66-asset-detail-${tag}`);
    await page.getByRole('button', { name: fr ? 'Modifier' : 'Edit', exact: true }).first().click();
    await page.getByRole('dialog').waitFor();
    await shot(page, `67-asset-form-${tag}`);
    await page.keyboard.press('Escape');
    await page.locator('[data-nav="update"]').click();
    await page.getByLabel('Livret A', { exact: true }).fill('abc');
    await shot(page, `68-update-invalid-${tag}`);
    await page.locator('[data-nav="dashboard"]').click();
    await page.getByRole('dialog').waitFor();
    await shot(page, `69-unsaved-dialog-${tag}`);
    await page.keyboard.press('Escape');
    await page.getByLabel('Livret A', { exact: true }).fill('');
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('?');
    await page.getByRole('dialog').waitFor();
    await shot(page, `70-shortcuts-${tag}`);
    await page.keyboard.press('Escape');
    // Printing ignores the dark scheme.
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
    assert(printed === 'rgb(255, 255, 255)', `print is light (got ${printed})`);
    await page.locator('[data-testid="switch-profile"]').click();
    await page.locator('input[type="radio"][name="profile"]').first().waitFor();
    await shot(page, `71-switch-profile-${tag}`);
    await noProblems(problems);
    await context.close();
  }
});

await test('dark scheme: first run, recovery key and restore wizard', async () => {
  {
    const { page, context, problems } = await openApp({ colorScheme: 'dark', viewport: { width: 1024, height: 700 } });
    await page.getByRole('heading', { name: 'Bienvenue dans Patrimoine' }).waitFor();
    await page.getByLabel('Nom du profil').fill('Camille');
    await page.getByLabel('Mot de passe', { exact: true }).fill('un mot de passe');
    await shot(page, '72-first-run-dark-fr');
    await page.getByLabel('Mot de passe', { exact: true }).fill('un mot de passe solide');
    await page.getByLabel('Confirmez le mot de passe').fill('un mot de passe solide');
    await btn(page, 'Créer mon profil').click();
    await page.getByRole('heading', { name: 'Votre clé de secours' }).waitFor();
    await shot(page, '73-recovery-key-dark-fr');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, '74-emergency-kit-print-dark.png'), fullPage: true });
    const ink = await page.locator('#print-root .emergency-kit').evaluate((el) => getComputedStyle(el).color);
    await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
    assert(ink === 'rgb(0, 0, 0)', `the printed kit is black on white (got ${ink})`);
    await noProblems(problems);
    await context.close();
  }
  {
    const { page, context, problems } = await openApp({ locale: 'en-US', colorScheme: 'dark', backend: { demo: true, health: [{ name: 'Demo', state: 'vault_damaged' }] } });
    await page.getByRole('heading', { name: 'Restore a backup' }).waitFor();
    await shot(page, '75-restore-wizard-dark-en');
    await noProblems(problems);
    await context.close();
  }
});

// ---- Account detail: positions and activities (AccountDetail) -------------------------
await test('account detail: positions, per-year table, activity form with a new instrument in dollars, opening position, a position’s computed values', async () => {
  for (const [lang, colorScheme] of [['fr', 'light'], ['en', 'light'], ['en', 'dark']]) {
    const fr = lang === 'fr';
    const L = (f, e) => (fr ? f : e);
    const tag = colorScheme === 'dark' ? `${lang}-dark` : lang;
    const { page, context, problems } = await openApp({ locale: L('fr-FR', 'en-US'), colorScheme, backend: { demo: true } });
    await page.getByLabel(L('Mot de passe', 'Password'), { exact: true }).fill('demo password');
    await btn(page, L('Déverrouiller', 'Unlock')).click();
    await page.locator('[data-testid="net-worth"]').waitFor();
    // A year of activity in the PEA, through the contract.
    await page.evaluate(async () => {
      const h = (cmd, args) => window.__FAKE_BACKEND__.handle(cmd, args);
      const pea = (await h('list_accounts', {})).find((a) => a.name === 'PEA').id;
      const cw8 = await h('create_instrument', { input: { id: 0, name: 'Amundi MSCI World', isin: 'LU1681043599', ticker: 'CW8', currency: 'EUR', class: 'fund', archived: false, allocations: {} } });
      const add = (input) => h('add_activity', { input: { id: 0, account_id: pea, instrument_id: null, quantity: null, unit_price: null, amount: null, fees: '0', note: '', ...input } });
      await add({ date: '2025-01-06', kind: 'deposit', amount: '10000', note: 'Virement' });
      await add({ date: '2025-01-08', kind: 'buy', instrument_id: cw8, quantity: '18', unit_price: '512.40', fees: '4.95' });
      await add({ date: '2025-09-15', kind: 'sell', instrument_id: cw8, quantity: '5', unit_price: '561.20', fees: '2.50' });
      await add({ date: '2026-03-02', kind: 'interest', amount: '12.50' });
      await add({ date: '2026-06-30', kind: 'fee', amount: '3', note: 'Droits de garde' });
      const recently = new Date(Date.now() - 5 * 864e5).toISOString().slice(0, 10);
      await h('set_prices', { points: [{ instrument_id: cw8, date: recently, price: '587.35', source: 'manual' }] });
    });
    await page.locator('[data-nav="accounts"]').click();
    await page.getByRole('button', { name: 'PEA', exact: true }).click();
    await page.getByRole('heading', { name: 'PEA', level: 1 }).waitFor();
    await page.locator('tr[data-instrument]').first().waitFor();
    await page.locator('[data-testid="account-value"]').waitFor();
    // 13 units left at 587,35.
    const value = norm(await page.locator('tr[data-instrument] [data-col="value"]').first().innerText());
    assert(value === L('7 635,55 €', '€7,635.55'), `position value (got ${value})`);
    await shot(page, `80-account-detail-${tag}`);
    await assertFitsBoth(page, `account detail ${tag}`);
    await page.evaluate(() => document.querySelector('#activities-title').scrollIntoView({ block: 'start' }));
    await shot(page, `81-account-activities-${tag}`);
    await page.evaluate(() => window.scrollTo(0, 0));

    // The activity form: a buy of a new instrument in dollars asks for the euros debited.
    await btn(page, L('Ajouter une opération', 'Add an activity')).click();
    const dlg = page.getByRole('dialog');
    await shot(page, `82-activity-form-deposit-${tag}`);
    await dlg.getByLabel(L('Type d’opération', 'Type of activity')).selectOption('buy');
    await dlg.getByLabel('Instrument', { exact: true }).selectOption('new');
    await dlg.getByLabel(L('Nom de l’instrument', 'Name of the instrument')).fill('iShares Core S&P 500');
    await dlg.getByLabel('ISIN', { exact: true }).fill('IE00B5BMR087');
    await dlg.getByLabel(L('Devise', 'Currency'), { exact: true }).selectOption('USD');
    await dlg.getByLabel(L('Quantité', 'Quantity'), { exact: true }).fill('3');
    await dlg.getByLabel(L('Cours unitaire (USD)', 'Unit price (USD)')).fill(L('612,40', '612.40'));
    await dlg.getByRole('button', { name: L('Enregistrer', 'Save'), exact: true }).click();
    await dlg.getByText(L('Ce champ est obligatoire.', 'This field is required.')).waitFor();
    await shot(page, `83-activity-form-buy-${tag}`);
    await dlg.getByLabel(L('Montant débité (EUR)', 'Amount debited (EUR)')).fill(L('1 745,30', '1745.30'));
    await dlg.getByRole('button', { name: L('Enregistrer', 'Save'), exact: true }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.locator('[data-testid="total-USD"]').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `84-account-detail-two-currencies-${tag}`);
    await assertFits(page, `account detail, two currencies ${tag}`);

    // Selling more than held: the sentence on the quantity, the input kept.
    await btn(page, L('Ajouter une opération', 'Add an activity')).click();
    await dlg.getByLabel(L('Type d’opération', 'Type of activity')).selectOption('sell');
    await dlg.getByLabel('Instrument', { exact: true }).selectOption({ label: 'Amundi MSCI World · LU1681043599' });
    await dlg.getByLabel(L('Quantité', 'Quantity'), { exact: true }).fill('20');
    await dlg.getByLabel(L('Cours unitaire (EUR)', 'Unit price (EUR)')).fill(L('590', '590'));
    await dlg.getByRole('button', { name: L('Enregistrer', 'Save'), exact: true }).click();
    await dlg.getByText(L('Cette vente porte sur plus de parts', 'This sells more units than'), { exact: false }).first().waitFor();
    await shot(page, `85-activity-form-sell-refused-${tag}`);
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });

    // The opening position.
    await btn(page, L('J’ai déjà ces titres', 'I already hold these')).click();
    await dlg.waitFor();
    await shot(page, `86-opening-position-${tag}`);
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });

    // A position's asset: computed values, nothing to type.
    await page.locator('tr[data-instrument] .btn--link').first().click();
    await page.locator('[data-testid="derived-values"]').waitFor();
    await page.locator('tbody tr').first().waitFor();
    await shot(page, `87-position-asset-${tag}`);
    assert(await page.getByRole('button', { name: L('Ajouter une valeur', 'Add a value') }).count() === 0, 'no value entry for a position');
    await noProblems(problems);
    await context.close();
  }
});

// ---- Loans from their offer, the amortization table, a property's net equity, article 669 ----
await test('loans, in French and English: the form from the offer, the table, an early repayment, the net equity, a bare ownership', async () => {
  for (const lang of ['fr', 'en']) {
    const fr = lang === 'fr';
    const L = (f, e) => (fr ? f : e);
    const { page, context, problems } = await openApp({ locale: L('fr-FR', 'en-US'), backend: { demo: true } });
    await page.getByLabel(L('Mot de passe', 'Password'), { exact: true }).fill('demo password');
    await btn(page, L('Déverrouiller', 'Unlock')).click();
    await page.locator('[data-testid="net-worth"]').waitFor();

    // From the Accounts screen: the form, filled from an offer, financing the flat.
    await page.locator('[data-nav="accounts"]').click();
    await page.locator('[data-action="loan-from-offer"]').click();
    const form = page.locator('[data-testid="loan-form"]');
    await form.waitFor();
    await form.locator('[name="loan-name"]').fill(L('Emprunt travaux', 'Works loan'));
    await form.locator('[name="loan-principal"]').fill(L('45 000', '45,000'));
    await form.locator('[name="loan-rate"]').fill(L('3,2', '3.2'));
    await form.locator('[name="loan-years"]').fill('12');
    assert(await form.locator('[name="loan-months"]').inputValue() === '144', 'years fill in the months');
    const first = new Date();
    const firstPayment = `${first.getFullYear() - 2}-${String(first.getMonth() + 1).padStart(2, '0')}-10`;
    await form.locator('[name="loan-first"]').fill(firstPayment);
    await form.locator('[name="loan-insurance"]').fill(L('12,60', '12.60'));
    await form.locator('[name="loan-property"]').selectOption({ label: 'Appartement Lyon' });
    await shot(page, `80-loan-form-${lang}`);
    await assertFits(page, `loan form ${lang}`);
    // A rate out of range: the core's sentence on the rate.
    await form.locator('[name="loan-rate"]').fill('120');
    await btn(page, L('Enregistrer l’emprunt', 'Save the loan')).click();
    await form.getByText(L('Un taux doit être compris entre 0 et 100 %.', 'A rate must be between 0 and 100 %.')).waitFor();
    await shot(page, `81-loan-form-error-${lang}`);
    await form.locator('[name="loan-rate"]').fill(L('3,2', '3.2'));
    await btn(page, L('Enregistrer l’emprunt', 'Save the loan')).click();
    const created = page.locator('[data-testid="loan-created"]');
    await created.waitFor();
    const payment = norm(await page.locator('[data-testid="created-payment"]').innerText());
    assert(payment === L('376,74 €', '€376.74'), `the core's monthly payment (got ${payment})`);
    await shot(page, `82-loan-created-${lang}`);
    await btn(page, L('Voir le tableau d’amortissement', 'See the amortization schedule')).click();

    // The detail: state today, terms, the table with this month marked.
    await page.locator('[data-testid="schedule"]').waitFor();
    await shot(page, `83-loan-detail-${lang}`);
    await assertFitsBoth(page, `loan detail ${lang}`);
    await page.locator('[data-testid="schedule"] tr[aria-current="date"]').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 200));
    await shot(page, `84-loan-table-current-${lang}`);
    // Printing prints the table alone.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.locator('#print-root .schedule-print').isVisible();
    const appHidden = !(await page.locator('#app').isVisible());
    await page.screenshot({ path: join(SHOTS, `85-loan-print-${lang}.png`), fullPage: false });
    await page.emulateMedia({ media: 'screen' });
    assert(printed && appHidden, 'print media shows only the schedule');
    // Export as CSV: the core writes it where the save dialog says.
    await btn(page, L('Exporter en CSV…', 'Export as CSV…')).click();
    await page.getByText(L('Export enregistré : patrimoine-Emprunt travaux-', 'Export saved: patrimoine-Works loan-'), { exact: false }).waitFor();

    // An early repayment keeping the payment: a marked line, a shorter table.
    const before = await page.locator('[data-testid="schedule"] tr[data-row="payment"]').count();
    await page.evaluate(() => window.scrollTo(0, 0));
    await btn(page, L('Remboursement anticipé…', 'Early repayment…')).click();
    const dlg = page.getByRole('dialog');
    await dlg.locator('[name="repayment-amount"]').fill(L('10 000', '10,000'));
    await shot(page, `86-loan-repayment-form-${lang}`);
    await dlg.getByRole('button', { name: L('Enregistrer', 'Save'), exact: true }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.locator('[data-testid="schedule"] tr[data-row="repayment"]').waitFor();
    const after = await page.locator('[data-testid="schedule"] tr[data-row="payment"]').count();
    assert(after < before, `the repayment shortens the table (${before} → ${after})`);
    await page.locator('[data-testid="schedule"] tr[data-row="repayment"]').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 150));
    await shot(page, `87-loan-table-repayment-${lang}`);

    // The list of loans.
    await page.locator('[data-nav="loans"]').click();
    await page.locator('[data-loan]').first().waitFor();
    await shot(page, `88-loans-${lang}`);
    await assertFitsBoth(page, `loans ${lang}`);

    // The flat it finances: value, capital outstanding, net equity over time.
    await page.locator('[data-nav="assets"]').click();
    await page.getByRole('button', { name: 'Appartement Lyon', exact: true }).click();
    await page.locator('[data-testid="equity"]').waitFor();
    await page.locator('[data-testid="equity"]').scrollIntoViewIfNeeded();
    await shot(page, `89-asset-equity-${lang}`);
    await assertFits(page, `asset equity ${lang}`);

    // A bare ownership valued by article 669.
    await page.locator('[data-nav="assets"]').click();
    await btn(page, L('Ajouter un actif', 'Add an asset')).first().click();
    const a = page.getByRole('dialog');
    await a.locator('[name="asset-account"]').selectOption('');
    await a.locator('[name="asset-name"]').fill(L('Maison de Bretagne', 'House in Brittany'));
    await a.locator('[name="asset-class"]').selectOption('real_estate');
    await a.locator('[name="asset-share"]').fill('50');
    await a.locator('[name="asset-ownership"]').selectOption('bare');
    await a.locator('[name="asset-usufructuary-born"]').fill('1949-05-10');
    await shot(page, `90-asset-bare-form-${lang}`);
    await a.getByRole('button', { name: L('Enregistrer', 'Save'), exact: true }).click();
    await a.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: L('Maison de Bretagne', 'House in Brittany'), exact: true }).click();
    const rule = page.locator('[data-testid="dismembered-rule"]');
    await rule.waitFor();
    const text = norm(await rule.innerText());
    assert(text.startsWith(L('Nue-propriété selon l’article 669 du CGI : usufruitier de ', 'Bare ownership under article 669 of the CGI: usufructuary aged ')), `the rule (got ${text})`);
    await shot(page, `91-asset-bare-rule-${lang}`);
    await noProblems(problems);
    await context.close();
  }
});

await test('the demo\u2019s wealth v2 data, in French and English: net worth, accounts, assets with computed values, the compte-titres', async () => {
  for (const [lang, locale] of [['fr', 'fr-FR'], ['en', 'en-US']]) {
    const L = (f, e) => (lang === 'fr' ? f : e);
    const { page, context, problems } = await openApp({ locale, backend: { demo: true } });
    await page.getByLabel(L('Mot de passe', 'Password')).fill('demo password');
    await btn(page, L('Déverrouiller', 'Unlock')).click();
    await page.locator('[data-testid="net-worth"]').waitFor();
    await page.locator('.chart__svg svg').first().waitFor();
    await shot(page, `95-demo-v2-dashboard-${lang}`);
    await page.evaluate(() => window.scrollTo(0, 900));
    await shot(page, `96-demo-v2-dashboard-lower-${lang}`);
    await page.locator('[data-nav="accounts"]').click();
    await page.getByText('Compte-titres', { exact: true }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, `97-demo-v2-accounts-${lang}`);
    await page.locator('[data-nav="assets"]').click();
    await page.getByRole('button', { name: 'Maison de famille' }).waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, `98-demo-v2-assets-${lang}`);
    await page.getByRole('button', { name: 'Maison de famille' }).click();
    await page.locator('[data-testid="dismembered-rule"]').waitFor();
    await shot(page, `99-demo-v2-bare-ownership-${lang}`);
    await noProblems(problems);
    await context.close();
  }
});

// ---- Securities and Update prices (views/Instruments.tsx, views/UpdatePrices.tsx) ------
await test('securities and update prices, in French and English, light and dark: list, ISIN check digit, in-use delete, price history, prices from the keyboard', async () => {
  for (const [lang, scheme] of [['fr', 'light'], ['en', 'light'], ['fr', 'dark'], ['en', 'dark']]) {
    const fr = lang === 'fr';
    const L = (a, b) => (fr ? a : b);
    const tag = `${lang}${scheme === 'dark' ? '-dark' : ''}`;
    const { page, context, problems } = await openApp({ locale: L('fr-FR', 'en-US'), colorScheme: scheme, backend: { demo: true } });
    await page.getByLabel(L('Mot de passe', 'Password'), { exact: true }).fill('demo password');
    await btn(page, L('Déverrouiller', 'Unlock')).click();
    await page.locator('[data-testid="net-worth"]').waitFor();
    // Two more securities bought in the demo's compte-titres, and one never bought.
    await page.evaluate(async () => {
      const f = window.__FAKE_BACKEND__;
      const cto = (await f.handle('list_accounts', {})).find((a) => a.kind === 'brokerage');
      const day = new Date(Date.now() - 62 * 864e5).toISOString().slice(0, 10);
      const make = (name, isin, ticker, cls, currency) =>
        f.handle('create_instrument', { input: { id: 0, name, isin, ticker, currency, class: cls, archived: false, allocations: {} } });
      const activity = (input) => f.handle('add_activity', { input: { id: 0, instrument_id: null, quantity: null, unit_price: null, amount: null, fees: '0', note: '', account_id: cto.id, date: day, ...input } });
      const air = await make('Air Liquide', 'FR0000120073', 'AI', 'equity', 'EUR');
      const amundi = await make('Amundi MSCI World', 'FR0010315770', 'CW8', 'fund', 'EUR');
      await make('Apple', 'US0378331005', 'AAPL', 'equity', 'USD');
      await activity({ kind: 'deposit', amount: '10000' });
      await activity({ kind: 'buy', instrument_id: air, quantity: '25', unit_price: '168.42', fees: '1.99' });
      await activity({ kind: 'buy', instrument_id: amundi, quantity: '8', unit_price: '512.3' });
    });

    await page.locator('[data-nav="instruments"]').click();
    await page.locator('tr[data-instrument]').first().waitFor();
    await page.waitForTimeout(150);
    await shot(page, `110-instruments-${tag}`);
    if (scheme === 'light') {
      await assertFitsBoth(page, `instruments ${lang}`);
      await page.setViewportSize({ width: 1280, height: 800 });
    }

    // A wrong check digit is refused on the ISIN field, which upper-cases as typed.
    await btn(page, L('Ajouter un titre', 'Add a security')).click();
    const form = page.getByRole('dialog');
    await form.getByLabel(L('Nom', 'Name'), { exact: true }).fill('Lyxor CAC 40');
    await form.getByLabel('ISIN', { exact: true }).pressSequentially('fr0007052781');
    assert(await form.getByLabel('ISIN', { exact: true }).inputValue() === 'FR0007052781', 'the ISIN is upper-cased as typed');
    await btn(form, L('Enregistrer', 'Save')).click();
    await form.getByText(L('Le dernier caractère de cet ISIN', 'The last character of this ISIN')).waitFor();
    await shot(page, `111-instrument-form-isin-${tag}`);
    await form.getByLabel('ISIN', { exact: true }).fill('FR0007052782');
    await btn(form, L('Enregistrer', 'Save')).click();
    await page.getByRole('button', { name: 'Lyxor CAC 40' }).waitFor();

    // A security activities use cannot be deleted: the sentence, and archiving offered.
    await page.locator('tr[data-instrument]', { hasText: 'Air Liquide' }).getByRole('button', { name: L('Supprimer', 'Delete') }).click();
    await btn(page.getByRole('dialog'), L('Supprimer', 'Delete')).click();
    await page.locator('[data-testid="in-use"]').waitFor();
    await shot(page, `112-instrument-in-use-${tag}`);
    await page.getByRole('dialog').locator('.actions').getByRole('button', { name: L('Fermer', 'Close') }).click();

    // A security's positions and price history; a price ten times off asks first.
    await page.getByRole('button', { name: 'iShares Core MSCI World' }).click();
    await page.getByRole('heading', { name: 'iShares Core MSCI World' }).waitFor();
    await page.locator('section[aria-labelledby="instrument-prices"] tbody tr').first().waitFor();
    await shot(page, `113-instrument-detail-${tag}`);
    await btn(page, L('Ajouter un cours', 'Add a price')).click();
    await page.getByRole('dialog').getByLabel(L('Cours (EUR)', 'Price (EUR)')).fill('1000');
    await btn(page.getByRole('dialog'), L('Enregistrer', 'Save')).click();
    await page.locator('[data-testid="far-off"]').waitFor();
    await shot(page, `114-price-far-off-${tag}`);
    await page.keyboard.press('Escape');

    // Update prices from the keyboard: type, Enter, … Enter on Save (the demo's fund has a price today: replaced).
    await btn(page, L('Mettre à jour les cours', 'Update prices')).click();
    const inputs = page.locator('input[data-instrument]');
    await inputs.first().waitFor();
    const n = await inputs.count();
    assert(n === 3, `one line per security held (got ${n})`);
    await inputs.first().focus();
    await page.keyboard.type(L('175,5', '175.5'));
    await page.keyboard.press('Enter');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await page.getByText(L('Un cours doit être supérieur à zéro.', 'A price must be greater than zero.')).first().waitFor();
    await shot(page, `115-update-prices-invalid-${tag}`);
    await inputs.nth(1).fill(L('521,8', '521.8'));
    await inputs.nth(2).focus();
    await page.keyboard.type(L('99,12', '99.12'));
    await page.keyboard.press('Enter');
    assert(await page.evaluate(() => document.activeElement?.getAttribute('type') === 'submit'), 'Enter on the last line goes to Save');
    await page.keyboard.press('Enter');
    const summary = page.locator('[data-testid="prices-summary"]');
    await summary.waitFor();
    const said = norm(await summary.textContent());
    assert(said === L('Enregistré : 2 nouveaux cours, 1 remplacé.', 'Saved: 2 new prices, 1 replaced.'), `the summary (got ${said})`);
    await page.locator('tr', { hasText: 'Air Liquide' }).getByText(L('175,50 €', '€175.50')).waitFor();
    await shot(page, `116-update-prices-saved-${tag}`);
    if (scheme === 'light') await assertFitsBoth(page, `update prices ${lang}`);
    await noProblems(problems);
    await context.close();
  }
});

await browser.close();
server.close();
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\ne2e: ${passed} passed, ${failed} failed`);
console.log(`screenshots: ${SHOTS}`);
process.exit(failed === 0 ? 0 : 1);
