// An in-memory fake of the Rust backend implementing the commands of docs/ipc.md, with
// exact decimal strings (scaled BigInt). Used by the end-to-end tests (injected with
// page.addInitScript), by component tests, and by `npm run dev` outside Tauri.
// It is a plain script: it defines globalThis.createFakeBackend and
// globalThis.installFakeBackend. Never part of the production bundle.
(function (root) {
  'use strict';

  // ---- Exact decimals -------------------------------------------------------------
  const DEC = /^-?\d+(\.\d+)?$/;
  function dparse(s) {
    if (typeof s !== 'string' || !DEC.test(s)) return null;
    const neg = s.startsWith('-');
    const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
    const u = BigInt(i + f);
    return { u: neg ? -u : u, s: f.length };
  }
  function dstr(u, s) {
    const neg = u < 0n;
    let d = (neg ? -u : u).toString();
    if (s > 0) {
      d = d.padStart(s + 1, '0');
      const i = d.slice(0, d.length - s);
      const f = d.slice(d.length - s).replace(/0+$/, '');
      d = f ? i + '.' + f : i;
    }
    if (/^0(\.0*)?$/.test(d)) return '0';
    return neg ? '-' + d : d;
  }
  function scaleTo(x, s) { return x.u * 10n ** BigInt(s - x.s); }
  function dadd(a, b) {
    const x = dparse(a), y = dparse(b);
    const s = Math.max(x.s, y.s);
    return dstr(scaleTo(x, s) + scaleTo(y, s), s);
  }
  function dsub(a, b) { return dadd(a, dneg(b)); }
  function dneg(a) { const x = dparse(a); return dstr(-x.u, x.s); }
  function dmul(a, b) { const x = dparse(a), y = dparse(b); return dstr(x.u * y.u, x.s + y.s); }
  // a / b rounded half away from zero to `places` decimals.
  function ddiv(a, b, places) {
    const x = dparse(a), y = dparse(b);
    if (y.u === 0n) return '0';
    const num = x.u * 10n ** BigInt(y.s + places);
    const den = y.u * 10n ** BigInt(x.s);
    const neg = (num < 0n) !== (den < 0n);
    const an = num < 0n ? -num : num, ad = den < 0n ? -den : den;
    let q = an / ad;
    if ((an % ad) * 2n >= ad) q += 1n;
    return dstr(neg ? -q : q, places);
  }
  function dround(a, places) { return ddiv(a, '1', places); }
  function dcmp(a, b) { const d = dparse(dsub(a, b)).u; return d < 0n ? -1 : d > 0n ? 1 : 0; }
  function dsum(list) { return list.reduce((acc, v) => dadd(acc, v), '0'); }

  // ---- Dates ----------------------------------------------------------------------
  function todayIso() {
    const n = new Date();
    return n.getFullYear() + '-' + String(n.getMonth() + 1).padStart(2, '0') + '-' + String(n.getDate()).padStart(2, '0');
  }
  function toUtc(iso) { const [y, m, d] = iso.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d)); }
  function fromUtc(dt) { return dt.toISOString().slice(0, 10); }
  function addDays(iso, n) { const d = toUtc(iso); d.setUTCDate(d.getUTCDate() + n); return fromUtc(d); }
  function addMonths(iso, n) {
    const d = toUtc(iso); const day = d.getUTCDate(); d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() + n);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last)); return fromUtc(d);
  }
  function daysBetween(a, b) { return Math.round((toUtc(b) - toUtc(a)) / 86400000); }
  const ISO = /^\d{4}-\d{2}-\d{2}$/;

  // ---- Errors ---------------------------------------------------------------------
  function fail(code, message, details) {
    const e = { code, message: message || code };
    if (details !== undefined) e.details = details;
    throw e;
  }
  function invalid(field, message) { fail('invalid_input', message || ('invalid ' + field), { field }); }

  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  function newRecoveryKey(seed) {
    const groups = [];
    let x = seed || 1 + Math.floor(Math.random() * 2147483000);
    for (let g = 0; g < 8; g++) {
      let s = '';
      for (let i = 0; i < 8; i++) { x = (x * 48271) % 2147483647; s += CROCKFORD[(x >> 7) % 32]; }
      groups.push(s);
    }
    return groups.join('-');
  }
  function cleanKey(k) {
    return String(k).replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  }

  const CLASSES = ['cash', 'equity', 'bond', 'fund', 'real_estate', 'scpi', 'crypto', 'precious_metal', 'private_equity', 'vehicle', 'collectible', 'loan', 'other'];
  const CLASS_COLORS = ['#2f6f9f', '#3f8f5f', '#9f7f2f', '#6f4f9f', '#9f4f4f', '#4f8f8f', '#8f6f3f', '#5f5f8f', '#7f3f6f', '#4f6f3f', '#6f6f6f', '#b0413e', '#808080'];

  function createFakeBackend(options) {
    const opts = Object.assign({ throttleAfter: 3, throttleSecs: 5, keychainAvailable: true, health: [], dataDir: '/home/user/.local/share/patrimoine', demo: false, delayMs: 0 }, options || {});
    let nextId = 1;
    const id = () => nextId++;
    const profiles = [];
    let session = null; // profile object
    const removableBackups = [];

    function emptyData() {
      return {
        institutions: [], accounts: [], assets: [], values: [], flows: [], rates: [],
        dimensions: [{ id: id(), name: 'region', builtin: true }, { id: id(), name: 'sector', builtin: true }],
        audit: [], backups: [],
        backupSettings: { second_destination: null, keep_daily: 7, keep_weekly: 4, keep_monthly: 12, missing_reminder_days: 14, last_backup_at: null, second_destination_last_seen: null, second_destination_reminder: false },
      };
    }
    function info(p) { return { id: p.id, name: p.name, admin: p.admin, created_at: p.createdAt, keychain_enabled: p.keychainEnabled }; }
    function sessionInfo(p, must) {
      return { profile: info(p), base_currency: p.baseCurrency, must_set_password: !!must, keychain_enabled: p.keychainEnabled, auto_lock_minutes: p.autoLockMinutes };
    }
    function audit(p, kind, detail) { p.data.audit.unshift({ at: new Date().toISOString(), kind, detail: detail || '' }); }
    function need() { if (!session) fail('locked', 'no open session'); return session.data; }
    function profileByName(name) { const p = profiles.find((x) => x.name === name); if (!p) fail('profile_not_found', 'no such profile'); return p; }
    function checkName(name) {
      const n = String(name || '').trim();
      if (!n || [...n].length > 40 || /[\u0000-\u001f\u007f-\u009f]/.test(n)) fail('profile_name_invalid', 'invalid profile name');
      return n;
    }
    function makeProfile(name, password, baseCurrency, recoverySeed) {
      if ([...String(password)].length < 10) fail('weak_password', 'the password must have at least 10 characters', { min: 10 });
      const n = checkName(name);
      if (profiles.some((p) => p.name.toLowerCase() === n.toLowerCase())) fail('profile_exists', 'profile exists');
      if (profiles.length >= 5) fail('profile_limit', 'at most 5 profiles', { max: 5 });
      const p = {
        id: 'p' + id(), name: n, admin: profiles.length === 0, createdAt: new Date().toISOString(), keychainEnabled: false,
        password, recoveryKey: newRecoveryKey(recoverySeed), baseCurrency: baseCurrency || 'EUR', autoLockMinutes: 5,
        failures: 0, throttleUntil: 0, data: emptyData(),
      };
      profiles.push(p);
      audit(p, 'profile_created', n);
      return p;
    }

    // ---- Valuation ------------------------------------------------------------------
    function rateOn(d, currency, date) {
      if (currency === 'EUR') return '1';
      let best = null;
      for (const r of d.rates) if (r.currency === currency && r.date <= date && (!best || r.date > best.date)) best = r;
      return best ? best.rate : null;
    }
    function convert(d, value, currency, date, missing) {
      const base = session.baseCurrency;
      if (currency === base) return value;
      const rFrom = rateOn(d, currency, date);
      const rTo = rateOn(d, base, date);
      if (rFrom === null || rTo === null) { missing.add(rFrom === null ? currency : base); return null; }
      return ddiv(dmul(value, rTo), rFrom, 10);
    }
    function valueOn(d, assetId, date) {
      let best = null;
      for (const v of d.values) if (v.asset_id === assetId && v.date <= date && (!best || v.date > best.date)) best = v;
      return best;
    }
    function assetContribution(d, a, date, missing) {
      const v = valueOn(d, a.id, date);
      if (!v) return null;
      const owned = ddiv(dmul(v.value, a.share_pct), '100', 10);
      const conv = convert(d, owned, a.currency, date, missing);
      if (conv === null) return null;
      return a.liability ? dneg(conv) : conv;
    }
    function netWorth(date) {
      const d = need();
      const missing = new Set();
      let assets = '0', liabilities = '0';
      for (const a of d.assets) {
        const c = assetContribution(d, a, date, missing);
        if (c === null) continue;
        if (dcmp(c, '0') < 0) liabilities = dadd(liabilities, dneg(c)); else assets = dadd(assets, c);
      }
      return { date, currency: session.baseCurrency, net_worth: dround(dsub(assets, liabilities), 2), assets: dround(assets, 2), liabilities: dround(liabilities, 2), missing_rates: [...missing].sort() };
    }
    function sampleDates(from, to, step) {
      const out = [];
      let cur = from;
      let guard = 0;
      while (cur <= to && guard < 20000) {
        out.push(cur);
        cur = step === 'daily' ? addDays(cur, 1) : step === 'weekly' ? addDays(cur, 7) : addMonths(from, out.length);
        guard++;
      }
      if (out[out.length - 1] !== to) out.push(to);
      return out;
    }
    function series(from, to, step, stackByClass) {
      const d = need();
      const dates = sampleDates(from, to, step);
      const missing = new Set();
      const totals = [];
      const stacks = new Map();
      dates.forEach((date, i) => {
        let total = '0';
        for (const a of d.assets) {
          const c = assetContribution(d, a, date, missing);
          if (c === null) continue;
          total = dadd(total, c);
          if (stackByClass) {
            if (!stacks.has(a.class)) stacks.set(a.class, dates.map(() => '0'));
            stacks.get(a.class)[i] = dadd(stacks.get(a.class)[i], c);
          }
        }
        totals.push(dround(total, 2));
      });
      return {
        currency: session.baseCurrency, dates, totals,
        stacks: [...stacks.entries()].map(([key, values]) => ({ key, values: values.map((v) => dround(v, 2)) })),
        missing_rates: [...missing].sort(),
      };
    }
    function breakdown(date, by) {
      const d = need();
      const missing = new Set();
      const buckets = new Map();
      const put = (key, label, v) => {
        const cur = buckets.get(key) || { key, label, value: '0' };
        cur.value = dadd(cur.value, v);
        buckets.set(key, cur);
      };
      for (const a of d.assets) {
        const c = assetContribution(d, a, date, missing);
        if (c === null) continue;
        const acc = d.accounts.find((x) => x.id === a.account_id);
        const inst = acc && d.institutions.find((x) => x.id === acc.institution_id);
        switch (by.by) {
          case 'class': put(a.class, a.class, c); break;
          case 'currency': put(a.currency, a.currency, c); break;
          case 'institution': put(inst ? String(inst.id) : 'direct', inst ? inst.name : 'Direct', c); break;
          case 'account': put(acc ? String(acc.id) : 'direct', acc ? acc.name : 'Direct', c); break;
          case 'account_kind': put(acc ? acc.kind : 'direct', acc ? acc.kind : 'direct', c); break;
          case 'dimension': {
            const ws = a.allocations[by.name];
            if (!ws || ws.length === 0) put('unclassified', 'unclassified', c);
            else for (const w of ws) put(w.bucket, w.bucket, ddiv(dmul(c, w.weight), '100', 10));
            break;
          }
          default: fail('invalid_input', 'bad breakdown', { field: 'by' });
        }
      }
      const slices = [...buckets.values()].map((s) => Object.assign(s, { value: dround(s.value, 2) }));
      const positive = dsum(slices.filter((s) => dcmp(s.value, '0') > 0).map((s) => s.value));
      for (const s of slices) s.percent = dcmp(positive, '0') === 0 ? '0' : ddiv(dmul(s.value, '100'), positive, 2);
      slices.sort((a, b) => dcmp(b.value, a.value));
      return { date, currency: session.baseCurrency, total: dround(dsum(slices.map((s) => s.value)), 2), slices, missing_rates: [...missing].sort() };
    }

    // ---- Charts (simple SVG) ------------------------------------------------------
    function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }
    function lineChart(dates, values, width, height, stacks) {
      const plot = { left: 64, top: 16, width: Math.max(10, width - 84), height: Math.max(10, height - 48) };
      const nums = values.map(Number);
      let min = Math.min(0, ...nums), max = Math.max(0, ...nums);
      if (stacks) for (const s of stacks) for (const v of s.values) { min = Math.min(min, Number(v)); max = Math.max(max, Number(v)); }
      if (max === min) max = min + 1;
      const x = (i) => plot.left + (dates.length <= 1 ? plot.width / 2 : (plot.width * i) / (dates.length - 1));
      const y = (v) => plot.top + plot.height - ((v - min) / (max - min)) * plot.height;
      let svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + width + ' ' + height + '" width="' + width + '" height="' + height + '" font-family="sans-serif" font-size="11">';
      svg += '<rect x="0" y="0" width="' + width + '" height="' + height + '" fill="#ffffff"/>';
      for (let k = 0; k <= 4; k++) {
        const v = min + ((max - min) * k) / 4;
        const yy = y(v).toFixed(1);
        svg += '<line x1="' + plot.left + '" x2="' + (plot.left + plot.width) + '" y1="' + yy + '" y2="' + yy + '" stroke="#e3e7ec"/>';
        svg += '<text x="' + (plot.left - 6) + '" y="' + yy + '" text-anchor="end" dominant-baseline="middle" fill="#5a6470">' + esc(Math.round(v).toLocaleString('fr-FR')) + '</text>';
      }
      if (stacks) {
        stacks.forEach((s) => {
          const ci = CLASSES.indexOf(s.key);
          const pts = s.values.map((v, i) => x(i).toFixed(1) + ',' + y(Number(v)).toFixed(1)).join(' ');
          svg += '<polyline fill="none" stroke="' + (CLASS_COLORS[ci] || '#888') + '" stroke-width="1.5" stroke-opacity="0.7" points="' + pts + '"/>';
        });
      }
      const pts = nums.map((v, i) => x(i).toFixed(1) + ',' + y(v).toFixed(1)).join(' ');
      svg += '<polyline fill="none" stroke="#1f4e79" stroke-width="2.5" points="' + pts + '"/>';
      if (dates.length > 0) {
        svg += '<text x="' + plot.left + '" y="' + (height - 10) + '" fill="#5a6470">' + esc(dates[0]) + '</text>';
        svg += '<text x="' + (plot.left + plot.width) + '" y="' + (height - 10) + '" text-anchor="end" fill="#5a6470">' + esc(dates[dates.length - 1]) + '</text>';
      }
      svg += '</svg>';
      return { svg, plot, width, height, dates, values };
    }
    function allocationChart(br, width, height) {
      const plot = { left: 16, top: 12, width: width - 32, height: height - 24 };
      let svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + width + ' ' + height + '" width="' + width + '" height="' + height + '" font-family="sans-serif" font-size="12">';
      const n = Math.max(1, br.slices.length);
      const bh = Math.min(28, plot.height / n - 6);
      br.slices.forEach((s, i) => {
        const w = Math.max(1, (Number(s.percent) / 100) * (plot.width - 150));
        const yy = plot.top + i * (bh + 6);
        const ci = CLASSES.indexOf(s.key);
        svg += '<text x="' + plot.left + '" y="' + (yy + bh / 2) + '" dominant-baseline="middle" fill="#1d2733">' + esc(s.label) + '</text>';
        svg += '<rect x="' + (plot.left + 120) + '" y="' + yy + '" width="' + w.toFixed(1) + '" height="' + bh + '" rx="3" fill="' + (CLASS_COLORS[ci >= 0 ? ci : i % CLASS_COLORS.length]) + '"/>';
      });
      svg += '</svg>';
      return { svg, plot, width, height, dates: [], values: [] };
    }
    function chart(args) {
      const d = need();
      const width = args.width || 800, height = args.height || 300;
      const to = args.to || todayIso();
      if (args.kind === 'allocation') return allocationChart(breakdown(to, args.by || { by: 'class' }), width, height);
      if (args.kind === 'asset_history') {
        const vals = d.values.filter((v) => v.asset_id === args.asset_id).sort((a, b) => (a.date < b.date ? -1 : 1));
        return lineChart(vals.map((v) => v.date), vals.map((v) => v.value), width, height, null);
      }
      // No start: the whole history, from the oldest value (as the real backend).
      const first = d.values.reduce((m, v) => (m === null || v.date < m ? v.date : m), null);
      const from = args.from || (first && first < to ? first : addMonths(to, -12));
      const s = series(from, to, args.step || 'monthly', args.kind === 'networth_by_class');
      return lineChart(s.dates, s.totals, width, height, args.kind === 'networth_by_class' ? s.stacks : null);
    }

    // ---- Portfolio validation -------------------------------------------------------
    function text(field, v, max) {
      const s = String(v == null ? '' : v).trim();
      if (!s || s.length > (max || 100)) invalid(field, field + ' is required');
      return s;
    }
    function currency(field, v) {
      const c = String(v || '').trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(c)) invalid(field, 'a three-letter ISO 4217 code such as EUR');
      return c;
    }
    function date(field, v, optional) {
      if (v == null || v === '') { if (optional) return null; invalid(field, 'a date'); }
      if (!ISO.test(v)) invalid(field, 'a date YYYY-MM-DD');
      return v;
    }
    function decimal(field, v) { if (!dparse(v)) invalid(field, 'a decimal number'); return dstr(dparse(v).u, dparse(v).s); }
    function checkWeights(dim, ws) {
      if (!ws.length) return;
      const total = dsum(ws.map((w) => decimal('weight', w.weight)));
      if (dcmp(total, '100') !== 0) fail('weights_not_100', 'weights of ' + dim + ' sum to ' + total, { dimension: dim, total });
    }
    // As the core: an ISIN of the right shape whose Luhn check digit does not match.
    function checkIsin(isin) {
      if (!isin) return;
      if (!/^[A-Z]{2}[A-Z0-9]{9}[0-9]$/.test(isin)) fail('invalid_input', 'isin: not a valid ISIN', { field: 'isin' });
      const digits = [...isin].map((c) => (/[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
      let sum = 0;
      [...digits].reverse().forEach((ch, i) => { let x = Number(ch); if (i % 2 === 1) { x *= 2; x = Math.floor(x / 10) + (x % 10); } sum += x; });
      if (sum % 10 !== 0) fail('isin_check_digit', 'the last character of this ISIN does not match the others');
    }
    function assetInput(d, input, selfId) {
      checkIsin(input.isin ? String(input.isin).trim().toUpperCase() : null);
      const a = {
        account_id: input.account_id == null ? null : Number(input.account_id),
        name: text('name', input.name), class: input.class, liability: !!input.liability || input.class === 'loan',
        currency: currency('currency', input.currency), isin: input.isin || null, ticker: input.ticker || null,
        share_pct: decimal('share_pct', input.share_pct), ownership: input.ownership || 'full', archived: !!input.archived,
        components: (input.components || []).map((c) => ({ asset_id: Number(c.asset_id), weight: decimal('weight', c.weight) })),
        allocations: {},
      };
      if (!CLASSES.includes(a.class)) invalid('class', 'unknown asset class');
      if (dcmp(a.share_pct, '0') < 0 || dcmp(a.share_pct, '100') > 0) invalid('share_pct', 'a percentage between 0 and 100');
      if (a.account_id !== null && !d.accounts.some((x) => x.id === a.account_id)) fail('not_found', 'account not found');
      for (const [dim, ws] of Object.entries(input.allocations || {})) {
        if (!d.dimensions.some((x) => x.name === dim)) fail('not_found', 'dimension not found');
        const list = ws.map((w) => ({ bucket: text('bucket', w.bucket), weight: decimal('weight', w.weight) }));
        checkWeights(dim, list);
        if (list.length) a.allocations[dim] = list;
      }
      if (a.components.length) {
        checkWeights('components', a.components);
        if (a.components.some((c) => c.asset_id === selfId)) fail('composite_cycle', 'cycle');
      }
      if (d.assets.some((x) => x.id !== selfId && x.account_id === a.account_id && x.name.toLowerCase() === a.name.toLowerCase())) fail('duplicate', 'asset exists');
      return a;
    }

    // ---- Backups --------------------------------------------------------------------
    function makeBackup(p, at, location) {
      const d = p.data;
      const stamp = (at || new Date().toISOString());
      return {
        path: (location === 'removable' ? '/media/user/USB/' : opts.dataDir + '/profiles/' + p.id + '/backups/') + 'patrimoine-' + p.name + '-' + stamp.slice(0, 19).replace(/[:T]/g, '-') + '.patrimoine-backup',
        createdAt: stamp, appVersion: '0.3.0', schemaVersion: 1, profileName: p.name, size: 48213 + d.values.length * 64,
        location: location || 'profile', verifiedAt: null, ok: null, profileId: p.id, kind: 'manual',
        snapshot: JSON.parse(JSON.stringify(d)), password: p.password, recoveryKey: p.recoveryKey, baseCurrency: p.baseCurrency,
      };
    }
    function header(b) { return { path: b.path, created_at: b.createdAt, app_version: b.appVersion, schema_version: b.schemaVersion, profile_name: b.profileName, size: b.size, location: b.location, profile_id: b.profileId, kind: b.kind, snapshot_checked: false }; }
    // As the core: a file counts as the profile's backup when made with its key (here:
    // the fake's backups all are, except those whose path says they are forged).
    function entry(b) { return Object.assign(header(b), { verified_at: b.verifiedAt, ok: b.ok, authenticated: !/forged/.test(b.path) }); }
    function allBackups() { return [...profiles.flatMap((p) => p.data.backups), ...removableBackups]; }
    function findBackup(path) {
      if (/not-a-backup/.test(path)) fail('not_a_backup', 'not a backup');
      if (/damaged/.test(path)) fail('backup_damaged', 'damaged');
      const b = allBackups().find((x) => x.path === path);
      if (!b) fail('not_a_backup', 'not a backup');
      return b;
    }
    // As the core: a backup of a profile that is here opens with that profile's
    // *current* credential; elsewhere, with the backup's own.
    function openBackup(b, args) {
      const local = profiles.find((p) => p.id === b.profileId);
      const owner = local || b;
      if (args.recovery_key) {
        if (cleanKey(args.recovery_key) !== cleanKey(owner.recoveryKey)) fail('wrong_recovery_key', 'wrong recovery key');
      } else if (args.password !== owner.password) fail('wrong_password', 'wrong password');
      return local;
    }
    /** The current credential typed again to confirm a change (the core's reauthenticate). */
    function reauth(args) {
      if (args.current_recovery_key != null) {
        if (cleanKey(args.current_recovery_key) !== cleanKey(session.recoveryKey)) fail('wrong_recovery_key', 'wrong recovery key');
      } else if (args.current_password != null) {
        if (args.current_password !== session.password) fail('wrong_password', 'wrong password');
      } else fail('credential_needed', 'confirm with your current password or recovery key');
    }
    function changed(p, newRecoveryKey) { return { session: sessionInfo(p), new_recovery_key: newRecoveryKey || null, keychain_disabled: false }; }

    // ---- Demo data -------------------------------------------------------------------
    function seedDemo(p) {
      const d = p.data;
      const t = todayIso();
      const bank = { id: id(), name: 'Crédit Agricole', kind: 'bank', notes: '' };
      const broker = { id: id(), name: 'Boursorama', kind: 'broker', notes: '' };
      d.institutions.push(bank, broker);
      const cur = { id: id(), institution_id: bank.id, name: 'Compte courant', kind: 'current', currency: 'EUR', opened_on: '2015-03-01', closed_on: null };
      const livret = { id: id(), institution_id: bank.id, name: 'Livret A', kind: 'savings', currency: 'EUR', opened_on: '2012-05-10', closed_on: null };
      const pea = { id: id(), institution_id: broker.id, name: 'PEA', kind: 'pea', currency: 'EUR', opened_on: '2019-01-15', closed_on: null };
      const loanAcc = { id: id(), institution_id: bank.id, name: 'Prêt immo', kind: 'loan', currency: 'EUR', opened_on: '2020-06-01', closed_on: null };
      d.accounts.push(cur, livret, pea, loanAcc);
      const mk = (acc, name, cls, extra) => {
        const a = Object.assign({ id: id(), account_id: acc ? acc.id : null, name, class: cls, liability: cls === 'loan', currency: 'EUR', isin: null, ticker: null, share_pct: '100', ownership: 'full', archived: false, components: [], allocations: {} }, extra || {});
        d.assets.push(a); return a;
      };
      const a1 = mk(cur, 'Compte courant', 'cash');
      const a2 = mk(livret, 'Livret A', 'cash');
      const a3 = mk(pea, 'ETF MSCI World', 'fund', { isin: 'FR0010315770', allocations: { region: [{ bucket: 'Amérique du Nord', weight: '70' }, { bucket: 'Europe', weight: '20' }, { bucket: 'Asie', weight: '10' }] } });
      const a4 = mk(null, 'Appartement Lyon', 'real_estate', { share_pct: '50' });
      const a5 = mk(loanAcc, 'Emprunt résidence', 'loan');
      for (let m = 24; m >= 0; m--) {
        const dt = addMonths(t, -m);
        const k = 24 - m;
        d.values.push({ asset_id: a1.id, date: dt, value: dadd('2450.15', String(k * 37)), quantity: null, unit_price: null, source: 'import' });
        d.values.push({ asset_id: a2.id, date: dt, value: dadd('18000', String(k * 150)), quantity: null, unit_price: null, source: 'import' });
        d.values.push({ asset_id: a3.id, date: dt, value: dadd('25000.5', dmul(String(k), '612.25')), quantity: null, unit_price: null, source: 'import' });
        if (m % 6 === 0) d.values.push({ asset_id: a4.id, date: dt, value: dadd('310000', String(k * 1000)), quantity: null, unit_price: null, source: 'manual' });
        d.values.push({ asset_id: a5.id, date: dt, value: dsub('190000', String(k * 1100)), quantity: null, unit_price: null, source: 'import' });
      }
      d.values = d.values.filter((v) => !(v.asset_id === a4.id && v.date > addMonths(t, -5)));
      d.flows.push({ id: id(), account_id: pea.id, date: addMonths(t, -6), amount: '1500', note: 'Versement' });
      d.rates.push({ currency: 'USD', date: addMonths(t, -1), rate: '1.0842' });
      d.backups.push(makeBackup(p, new Date(Date.now() - 86400000).toISOString()));
      d.backupSettings.last_backup_at = d.backups[0].createdAt;
    }
    if (opts.demo) {
      const p = makeProfile('Demo', 'demo password', 'EUR', 7);
      seedDemo(p);
    }
    // A backup of a profile that is not on this computer, found on a USB stick.
    if (opts.foreignBackup) {
      const camille = makeProfile('Camille', 'camille password', 'EUR', 11);
      seedDemo(camille);
      removableBackups.push(makeBackup(camille, new Date(Date.now() - 2 * 86400000).toISOString(), 'removable'));
      profiles.splice(profiles.indexOf(camille), 1);
    }

    // ---- Commands -------------------------------------------------------------------
    const commands = {
      app_info() {
        return { version: '0.3.0', data_dir: opts.dataDir, profiles: profiles.map(info), session: session ? sessionInfo(session) : null, keychain_available: opts.keychainAvailable, os_locale: 'fr-FR' };
      },
      startup_health() { return opts.health.length ? opts.health : profiles.map((p) => ({ name: p.name, state: 'ok' })); },
      create_profile({ name, password, base_currency: baseCurrency }) {
        if (profiles.length > 0 && !(session && session.admin)) fail('not_admin', 'only the admin can create profiles');
        const p = makeProfile(name, password, currency('baseCurrency', baseCurrency));
        if (profiles.length === 1) session = p;
        return { session: sessionInfo(p), recovery_key: p.recoveryKey };
      },
      unlock_password({ name, password }) {
        const p = profileByName(name);
        const now = Date.now();
        if (p.throttleUntil > now) { const s = Math.ceil((p.throttleUntil - now) / 1000); fail('throttled', 'too many failed attempts; try again in ' + s + ' s', { retry_after_secs: s }); }
        if (password !== p.password) {
          p.failures++;
          audit(p, 'unlock_failed', 'password');
          if (p.failures >= opts.throttleAfter) {
            const secs = opts.throttleSecs * 2 ** (p.failures - opts.throttleAfter);
            p.throttleUntil = now + secs * 1000;
            fail('throttled', 'too many failed attempts; try again in ' + secs + ' s', { retry_after_secs: secs });
          }
          fail('wrong_password', 'wrong password');
        }
        p.failures = 0;
        session = p;
        audit(p, 'unlock_ok', 'password');
        return sessionInfo(p);
      },
      unlock_recovery({ name, recovery_key: recoveryKey }) {
        const p = profileByName(name);
        const typed = cleanKey(recoveryKey);
        if (typed.length !== 64) fail('recovery_key_format', 'a recovery key has 8 groups of 8 characters');
        const real = cleanKey(p.recoveryKey);
        if (typed !== real) {
          const diff = [];
          for (let g = 0; g < 8; g++) if (typed.slice(g * 8, g * 8 + 8) !== real.slice(g * 8, g * 8 + 8)) diff.push(g + 1);
          if (diff.length === 1) fail('recovery_key_typo', 'recovery key group ' + diff[0] + ' is mistyped', { group: diff[0] });
          fail('wrong_recovery_key', 'wrong recovery key');
        }
        session = p;
        p.failures = 0;
        audit(p, 'unlock_ok', 'recovery key');
        p.mustSetPassword = true;
        return sessionInfo(p, true);
      },
      unlock_keychain({ name }) {
        const p = profileByName(name);
        if (!p.keychainEnabled) fail('keychain_not_enabled', 'keychain not enabled');
        session = p;
        audit(p, 'unlock_ok', 'keychain');
        return sessionInfo(p);
      },
      lock() { session = null; return null; },
      change_password(args) {
        need();
        if (!session.mustSetPassword) reauth(args);
        if ([...String(args.new_password)].length < 10) fail('weak_password', 'the password must have at least 10 characters', { min: 10 });
        session.password = args.new_password;
        session.mustSetPassword = false;
        audit(session, 'password_changed');
        return changed(session);
      },
      regenerate_recovery_key(args) {
        need();
        reauth(args);
        session.recoveryKey = newRecoveryKey();
        audit(session, 'recovery_key_regenerated');
        return changed(session, session.recoveryKey);
      },
      set_keychain(args) {
        need();
        if (!opts.keychainAvailable) fail('keychain_unavailable', 'no keychain');
        if (args.enabled) reauth(args);
        session.keychainEnabled = !!args.enabled;
        audit(session, args.enabled ? 'keychain_enabled' : 'keychain_disabled');
        return changed(session);
      },
      set_preferences(args) {
        need();
        if (args.base_currency != null) session.baseCurrency = currency('base_currency', args.base_currency);
        if (args.auto_lock_minutes != null) {
          const m = Number(args.auto_lock_minutes);
          if (!Number.isInteger(m) || m < 1 || m > 60) invalid('auto_lock_minutes', 'between 1 and 60');
          session.autoLockMinutes = m;
        }
        return sessionInfo(session);
      },
      rename_profile({ name, new_name: newName }) {
        need();
        const p = profileByName(name);
        if (!session.admin && p !== session) fail('not_admin', 'admin only');
        const n = checkName(newName);
        if (profiles.some((x) => x !== p && x.name.toLowerCase() === n.toLowerCase())) fail('profile_exists', 'exists');
        p.name = n;
        audit(p, 'profile_renamed', n);
        return profiles.map(info);
      },
      delete_profile({ name, typed_name: typedName }) {
        need();
        if (!session.admin) fail('not_admin', 'admin only');
        const p = profileByName(name);
        if (typedName !== name) fail('confirmation_mismatch', 'typed name does not match');
        if (p.admin && profiles.length > 1) fail('admin_has_profiles', 'admin has profiles');
        profiles.splice(profiles.indexOf(p), 1);
        return profiles.map(info);
      },
      audit_log({ limit }) { return need().audit.slice(0, limit); },

      list_institutions() { return need().institutions.map((x) => Object.assign({}, x)); },
      create_institution({ input }) {
        const d = need();
        const i = { id: id(), name: text('name', input.name), kind: input.kind || 'other', notes: String(input.notes || '') };
        if (d.institutions.some((x) => x.name.toLowerCase() === i.name.toLowerCase())) fail('duplicate', 'institution exists');
        d.institutions.push(i);
        return i.id;
      },
      update_institution({ id: iid, input }) {
        const d = need();
        const i = d.institutions.find((x) => x.id === iid) || fail('not_found', 'not found');
        Object.assign(i, { name: text('name', input.name), kind: input.kind, notes: String(input.notes || '') });
        return null;
      },
      delete_institution({ id: iid, force }) {
        const d = need();
        const accs = d.accounts.filter((a) => a.institution_id === iid);
        if (accs.length && !force) fail('in_use', 'institution has accounts', { accounts: accs.length });
        for (const a of accs) commands.delete_account({ id: a.id, force: true });
        d.institutions = d.institutions.filter((x) => x.id !== iid);
        return null;
      },
      list_accounts() { return need().accounts.map((x) => Object.assign({}, x)); },
      create_account({ input }) {
        const d = need();
        if (!d.institutions.some((x) => x.id === Number(input.institution_id))) fail('not_found', 'institution not found');
        const a = { id: id(), institution_id: Number(input.institution_id), name: text('name', input.name), kind: input.kind, currency: currency('currency', input.currency), opened_on: date('opened_on', input.opened_on, true), closed_on: date('closed_on', input.closed_on, true) };
        if (d.accounts.some((x) => x.institution_id === a.institution_id && x.name.toLowerCase() === a.name.toLowerCase())) fail('duplicate', 'account exists');
        d.accounts.push(a);
        return a.id;
      },
      update_account({ id: aid, input }) {
        const d = need();
        const a = d.accounts.find((x) => x.id === aid) || fail('not_found', 'not found');
        Object.assign(a, { institution_id: Number(input.institution_id), name: text('name', input.name), kind: input.kind, currency: currency('currency', input.currency), opened_on: date('opened_on', input.opened_on, true), closed_on: date('closed_on', input.closed_on, true) });
        return null;
      },
      delete_account({ id: aid, force }) {
        const d = need();
        const assets = d.assets.filter((a) => a.account_id === aid);
        const flows = d.flows.filter((f) => f.account_id === aid);
        if ((assets.length || flows.length) && !force) fail('in_use', 'account has assets', { assets: assets.length });
        for (const a of assets) commands.delete_asset({ id: a.id, force: true });
        d.flows = d.flows.filter((f) => f.account_id !== aid);
        d.accounts = d.accounts.filter((x) => x.id !== aid);
        return null;
      },
      list_assets() { return need().assets.map((x) => JSON.parse(JSON.stringify(x))); },
      create_asset({ input }) { const d = need(); const a = assetInput(d, input, -1); a.id = id(); d.assets.push(a); return a.id; },
      update_asset({ id: aid, input }) {
        const d = need();
        const a = d.assets.find((x) => x.id === aid) || fail('not_found', 'not found');
        Object.assign(a, assetInput(d, input, aid));
        return null;
      },
      delete_asset({ id: aid, force }) {
        const d = need();
        const vals = d.values.filter((v) => v.asset_id === aid);
        if (vals.length && !force) fail('in_use', 'asset has values', { values: vals.length });
        d.values = d.values.filter((v) => v.asset_id !== aid);
        d.assets = d.assets.filter((x) => x.id !== aid);
        return null;
      },
      list_dimensions() { return need().dimensions.map((x) => Object.assign({}, x)); },
      create_dimension({ name }) {
        const d = need();
        const n = text('name', name, 40);
        if (d.dimensions.some((x) => x.name.toLowerCase() === n.toLowerCase())) fail('duplicate', 'dimension exists');
        const dim = { id: id(), name: n, builtin: false };
        d.dimensions.push(dim);
        return dim.id;
      },
      asset_values({ asset_id: assetId }) { return need().values.filter((v) => v.asset_id === assetId).map((v) => Object.assign({}, v)); },
      latest_values() {
        const d = need();
        const out = new Map();
        for (const v of d.values) { const cur = out.get(v.asset_id); if (!cur || v.date > cur.date) out.set(v.asset_id, v); }
        return [...out.values()].map((v) => ({ asset_id: v.asset_id, date: v.date, value: v.value }));
      },
      upsert_values({ points }) {
        const d = need();
        let inserted = 0, updated = 0;
        const clean = points.map((p) => {
          if (!d.assets.some((a) => a.id === p.asset_id)) fail('not_found', 'asset not found');
          return { asset_id: p.asset_id, date: date('date', p.date), value: decimal('value', p.value), quantity: p.quantity == null ? null : decimal('quantity', p.quantity), unit_price: p.unit_price == null ? null : decimal('unit_price', p.unit_price), source: p.source || 'manual' };
        });
        for (const p of clean) {
          // As the core: a value without quantity nor price keeps the quantity held.
          if (p.quantity === null && p.unit_price === null) {
            const prev = d.values.filter((v) => v.asset_id === p.asset_id && v.date <= p.date).sort((x, y) => (x.date < y.date ? 1 : -1))[0];
            if (prev && prev.quantity != null) p.quantity = prev.quantity;
          }
          const i = d.values.findIndex((v) => v.asset_id === p.asset_id && v.date === p.date);
          if (i >= 0) { d.values[i] = p; updated++; } else { d.values.push(p); inserted++; }
        }
        return { inserted, updated };
      },
      delete_value({ asset_id: assetId, date: dt }) {
        const d = need();
        const before = d.values.length;
        d.values = d.values.filter((v) => !(v.asset_id === assetId && v.date === dt));
        if (d.values.length === before) fail('not_found', 'value not found');
        return null;
      },
      list_cash_flows(args) {
        const d = need();
        return d.flows.filter((f) => args.account_id == null || f.account_id === args.account_id).map((f) => Object.assign({}, f));
      },
      add_cash_flow({ input }) {
        const d = need();
        if (!d.accounts.some((a) => a.id === Number(input.account_id))) fail('not_found', 'account not found');
        const f = { id: id(), account_id: Number(input.account_id), date: date('date', input.date), amount: decimal('amount', input.amount), note: String(input.note || '') };
        if (dcmp(f.amount, '0') === 0) invalid('amount', 'a non-zero amount');
        d.flows.push(f);
        return f.id;
      },
      update_cash_flow({ id: fid, input }) {
        const d = need();
        const f = d.flows.find((x) => x.id === fid) || fail('not_found', 'not found');
        Object.assign(f, { account_id: Number(input.account_id), date: date('date', input.date), amount: decimal('amount', input.amount), note: String(input.note || '') });
        return null;
      },
      delete_cash_flow({ id: fid }) { const d = need(); d.flows = d.flows.filter((f) => f.id !== fid); return null; },
      list_fx_rates(args) {
        const d = need();
        return d.rates.filter((r) => !args.currency || r.currency === args.currency)
          .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.currency.localeCompare(b.currency)))
          .slice(0, args.limit || 1000).map((r) => Object.assign({}, r));
      },
      set_fx_rate({ rate }) {
        const d = need();
        const r = { currency: currency('currency', rate.currency), date: date('date', rate.date), rate: decimal('rate', rate.rate) };
        if (dcmp(r.rate, '0') <= 0) invalid('rate', 'a positive rate');
        d.rates = d.rates.filter((x) => !(x.currency === r.currency && x.date === r.date));
        d.rates.push(r);
        return null;
      },
      delete_fx_rate({ currency: c, date: dt }) { const d = need(); d.rates = d.rates.filter((x) => !(x.currency === c && x.date === dt)); return null; },
      import_ecb({ path }) {
        const d = need();
        if (/bad/.test(path)) fail('csv_unreadable', 'not an ECB file');
        const t = todayIso();
        const out = [];
        for (let k = 0; k < 5; k++) {
          const dt = addDays(t, -k);
          out.push({ currency: 'USD', date: dt, rate: dadd('1.08', '0.00' + k) }, { currency: 'GBP', date: dt, rate: dadd('0.85', '0.00' + k) });
        }
        for (const r of out) { d.rates = d.rates.filter((x) => !(x.currency === r.currency && x.date === r.date)); d.rates.push(r); }
        audit(session, 'fx_import', out.length + ' rates');
        return { rates: out.length, currencies: ['GBP', 'USD'], first_date: addDays(t, -4), last_date: t };
      },
      net_worth({ date: dt }) { return netWorth(date('date', dt)); },
      series(args) { return series(args.from, args.to, args.step, !!args.stack_by_class); },
      breakdown(args) { return breakdown(args.date, args.by); },
      stale_assets({ date: dt, days }) {
        const d = need();
        return d.assets.filter((a) => !a.archived).map((a) => {
          const v = valueOn(d, a.id, dt);
          return { asset_id: a.id, name: a.name, last_date: v ? v.date : null, age_days: v ? daysBetween(v.date, dt) : null };
        }).filter((s) => s.age_days === null || s.age_days > days);
      },
      performance_by_account(args) {
        const d = need();
        return d.accounts
          .filter((a) => !a.closed_on || a.closed_on >= args.from)
          .map((a) => commands.performance({ account_id: a.id, from: args.from, to: args.to }));
      },
      performance(args) {
        const d = need();
        const assets = d.assets.filter((a) => args.account_id == null || a.account_id === args.account_id);
        const value = (dt) => {
          const missing = new Set();
          return dround(dsum(assets.map((a) => assetContribution(d, a, dt, missing) || '0')), 2);
        };
        const start = value(args.from), end = value(args.to);
        const flows = dsum(d.flows.filter((f) => (args.account_id == null || f.account_id === args.account_id) && f.date > args.from && f.date <= args.to).map((f) => f.amount));
        const gain = dsub(dsub(end, start), flows);
        const twr = dcmp(start, '0') === 0 ? null : ddiv(gain, start, 4);
        return { account_id: args.account_id == null ? null : args.account_id, from: args.from, to: args.to, start_value: start, end_value: end, net_flows: flows, gain, twr, xirr: twr };
      },
      chart(args) { return chart(args.request); },
      chart_png() { need(); return 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='; },
      import_csv({ path, dry_run: dryRun, skip_invalid: skipInvalid }) {
        const d = need();
        if (/unreadable/.test(path)) fail('csv_unreadable', 'unreadable');
        const bad = /bad/.test(path);
        const errors = bad ? [
          { line: 3, column: 'value', code: 'bad_number', message: 'bad number' },
          { line: 5, column: 'date', code: 'bad_date', message: 'bad date' },
        ] : [];
        const report = { lines: 5, imported: bad ? 3 : 5, skipped: bad ? 2 : 0, institutions_created: 1, accounts_created: 1, assets_created: 2, values_inserted: bad ? 3 : 5, values_updated: 0, dry_run: !!dryRun, errors };
        if (dryRun) return report;
        if (bad && !skipInvalid) fail('import_invalid', 'the file has errors', report);
        let inst = d.institutions.find((i) => i.name === 'Fortuneo');
        if (!inst) { inst = { id: id(), name: 'Fortuneo', kind: 'bank', notes: '' }; d.institutions.push(inst); }
        const acc = { id: id(), institution_id: inst.id, name: 'Compte-titres ' + id(), kind: 'brokerage', currency: 'EUR', opened_on: null, closed_on: null };
        d.accounts.push(acc);
        const a = { id: id(), account_id: acc.id, name: 'Action Air Liquide', class: 'equity', liability: false, currency: 'EUR', isin: null, ticker: null, share_pct: '100', ownership: 'full', archived: false, components: [], allocations: {} };
        d.assets.push(a);
        d.values.push({ asset_id: a.id, date: todayIso(), value: '4321.09', quantity: null, unit_price: null, source: 'import' });
        audit(session, 'import', report.imported + ' lines');
        return Object.assign(report, { dry_run: false });
      },
      export_file({ path, format }) { need(); if (/readonly/.test(path)) fail('io', 'cannot write'); audit(session, 'export', format); return null; },

      scan_backups() { return allBackups().map(header); },
      inspect_backup({ path }) { return header(findBackup(path)); },
      restore_preview(args) {
        const b = findBackup(args.path);
        openBackup(b, args);
        const s = b.snapshot;
        const saved = session;
        const prof = profiles.find((p) => p.name === b.profileName) || { baseCurrency: b.baseCurrency };
        session = { data: s, baseCurrency: prof.baseCurrency || 'EUR' };
        const nw = netWorth(todayIso());
        session = saved;
        return { created_at: b.createdAt, profile_name: b.profileName, institutions: s.institutions.length, accounts: s.accounts.length, assets: s.assets.length, values: s.values.length, net_worth: nw.net_worth, currency: nw.currency };
      },
      restore_backup(args) {
        const b = findBackup(args.path);
        const local = openBackup(b, args);
        const needsNew = !local || !!args.recovery_key;
        if (needsNew && [...String(args.new_password || '')].length < 10) fail(args.new_password ? 'weak_password' : 'invalid_input', 'choose a new password', { min: 10, field: 'new_password' });
        let p = local;
        let fresh = null;
        if (!p) {
          const name = args.as_new_name || b.profileName;
          if (profiles.some((x) => x.name.toLowerCase() === name.toLowerCase())) fail('profile_exists', 'name taken');
          fresh = newRecoveryKey();
          p = { id: b.profileId, name, admin: profiles.length === 0, createdAt: new Date().toISOString(), keychainEnabled: false, password: args.new_password, recoveryKey: fresh, baseCurrency: b.baseCurrency, autoLockMinutes: 5, failures: 0, throttleUntil: 0, data: emptyData() };
          profiles.push(p);
        } else if (args.recovery_key) {
          p.password = args.new_password;
        }
        const backups = p.data.backups;
        p.data = JSON.parse(JSON.stringify(b.snapshot));
        p.data.backups = backups;
        opts.health = [];
        session = p;
        audit(p, 'restore', b.createdAt);
        return { session: sessionInfo(p), new_recovery_key: fresh };
      },
      restore_own_backup({ path }) {
        need();
        const b = session.data.backups.find((x) => x.path === path);
        if (!b) fail('not_a_backup', 'not a backup');
        if (b.profileName !== session.name) fail('backup_other_profile', 'another profile');
        const backups = session.data.backups;
        session.data = JSON.parse(JSON.stringify(b.snapshot));
        session.data.backups = backups;
        audit(session, 'restore', 'session');
        return sessionInfo(session);
      },
      list_backups() { return need().backups.map(entry); },
      backup_now() {
        need();
        const b = makeBackup(session, new Date().toISOString());
        session.data.backups.push(b);
        session.data.backupSettings.last_backup_at = b.createdAt;
        audit(session, 'backup');
        return entry(b);
      },
      export_backup({ path }) {
        need();
        if (/readonly/.test(path)) fail('destination_unwritable', 'cannot write');
        return { path, size: 51234, sha256: '9f2c4e1b7a3d5f60812e4c9b0a7d3e5f1c2b4a6d8e0f1a3c5b7d9e1f2a4c6b8d' };
      },
      verify_backups() {
        const d = need();
        const now = new Date().toISOString();
        for (const b of d.backups) { b.ok = !/damaged/.test(b.path); b.verifiedAt = now; }
        return d.backups.map(entry);
      },
      get_backup_settings() {
        // As the core: the reminder is computed when the destination is set and has not
        // been seen for missingReminderDays.
        const s = Object.assign({}, need().backupSettings);
        const seen = s.second_destination_last_seen ? Date.parse(s.second_destination_last_seen) : null;
        s.second_destination_reminder = !!s.second_destination && (seen === null || Date.now() - seen > s.missing_reminder_days * 86400000);
        return s;
      },
      set_backup_settings({ settings }) {
        const d = need();
        for (const k of ['keep_daily', 'keep_weekly', 'keep_monthly']) if (!Number.isInteger(settings[k]) || settings[k] < 0) invalid(k, 'a whole number');
        d.backupSettings = Object.assign({}, d.backupSettings, settings);
        if (settings.second_destination) d.backupSettings.second_destination_last_seen = new Date().toISOString();
        return Object.assign({}, d.backupSettings);
      },

      'plugin:dialog|open'(args) {
        const o = (args && args.options) || {};
        const queue = root.__FAKE_DIALOG_QUEUE__;
        if (Array.isArray(queue) && queue.length) return queue.shift();
        return o.directory ? '/media/user/USB/Patrimoine' : '/home/user/releves.csv';
      },
      'plugin:dialog|save'(args) {
        const o = (args && args.options) || {};
        const queue = root.__FAKE_DIALOG_QUEUE__;
        if (Array.isArray(queue) && queue.length) return queue.shift();
        return '/home/user/' + (o.defaultPath || 'export');
      },
    };

    const calls = [];
    async function handle(cmd, args) {
      calls.push({ cmd, args });
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const fn = commands[cmd];
      if (!fn) throw { code: 'unknown', message: 'unknown command ' + cmd };
      // Deep-copy results so the UI can never mutate the fake's state.
      const out = fn(args || {});
      return out === undefined ? null : JSON.parse(JSON.stringify(out));
    }

    return {
      handle, calls, profiles,
      addRemovableBackup(profileName) {
        const p = profiles.find((x) => x.name === profileName);
        const b = makeBackup(p, new Date(Date.now() - 3 * 86400000).toISOString(), 'removable');
        removableBackups.push(b);
        return b.path;
      },
      setHealth(h) { opts.health = h; },
      get session() { return session; },
      decimal: { add: dadd, sub: dsub, mul: dmul, div: ddiv, cmp: dcmp },
    };
  }

  /** Installs the fake as Tauri's IPC (window.__TAURI_INTERNALS__). */
  function installFakeBackend(options) {
    const backend = createFakeBackend(options);
    const callbacks = new Map();
    root.__TAURI_INTERNALS__ = {
      invoke: (cmd, args) => backend.handle(cmd, args),
      transformCallback: (cb, once) => {
        const cid = Math.floor(Math.random() * 2 ** 31);
        callbacks.set(cid, (data) => { if (once) callbacks.delete(cid); return cb && cb(data); });
        return cid;
      },
      unregisterCallback: (cid) => callbacks.delete(cid),
      runCallback: (cid, data) => { const c = callbacks.get(cid); if (c) c(data); },
      callbacks,
      metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    };
    root.__FAKE_BACKEND__ = backend;
    return backend;
  }

  root.createFakeBackend = createFakeBackend;
  root.installFakeBackend = installFakeBackend;
})(typeof window !== 'undefined' ? window : globalThis);
