//! Import / Export: CSV import with a dry run first (counts and every error with its
//! line and column), then the real import; JSON and CSV exports through a save dialog.
import { useState } from 'preact/hooks';
import { ipc, pickFile, pickSavePath, toAppError, type ImportReport } from '../lib/ipc';
import { fileName } from '../lib/backup';
import { today } from '../lib/dates';
import { formatInteger } from '../lib/format';
import { getLang, hasKey, t } from '../lib/i18n';
import { ACTIVITY_COLUMNS, CSV_COLUMNS, PRICE_COLUMNS } from '../lib/ipc/generated/constants';
import type { ImportLayout } from '../lib/ipc/generated/types';
import { useSaving } from '../lib/shell/useSaving';
import { toast } from '../lib/shell/toast';
import { ErrorBanner } from '../components/feedback';
import { num, Table } from '../components/Table';

/** The import layouts, from the core (header, French header, required). */
export { ACTIVITY_COLUMNS, CSV_COLUMNS, PRICE_COLUMNS };

interface Column { readonly name: string; readonly french: string; readonly required: boolean }

/** Each layout: its columns, the key prefix of their descriptions, and a sample file. */
const LAYOUTS: Record<ImportLayout, { columns: readonly Column[]; col: string; sample: { fr: string; en: string } }> = {
  values: {
    columns: CSV_COLUMNS,
    col: 'io.col.',
    sample: {
      fr: `date;etablissement;compte;type_compte;actif;classe;devise;valeur;part
31/01/2024;Boursorama;PEA;pea;ETF MSCI World;fund;EUR;10 250,25;
31/01/2024;Crédit Agricole;Emprunt immo;loan;Emprunt résidence;loan;EUR;180000;
31/01/2024;;;;Appartement;real_estate;EUR;320000;50`,
      en: `date;institution;account;account_kind;asset;asset_class;currency;value;share_pct
31/01/2024;Boursorama;PEA;pea;ETF MSCI World;fund;EUR;10 250,25;
31/01/2024;Crédit Agricole;Home loan;loan;Mortgage;loan;EUR;180000;
31/01/2024;;;;Flat;real_estate;EUR;320000;50`,
    },
  },
  activities: {
    columns: ACTIVITY_COLUMNS,
    col: 'io.colA.',
    sample: {
      fr: `date;etablissement;compte;type_compte;type_operation;isin;titre;quantite;prix_unitaire;montant;frais;devise
02/01/2024;Boursorama;PEA;pea;versement;;;;;5 000;;EUR
03/01/2024;Boursorama;PEA;pea;achat;FR0000120271;TotalEnergies;50;61,20;;3,06;EUR
01/07/2024;Boursorama;PEA;pea;dividende;FR0000120271;;;;39,50;;EUR
10/09/2024;Boursorama;PEA;pea;vente;FR0000120271;;20;66,80;;1,34;EUR`,
      en: `date,institution,account,account_kind,type,isin,instrument,quantity,unit_price,amount,fees,currency
2024-01-02,Boursorama,PEA,pea,deposit,,,,,5000,,EUR
2024-01-03,Boursorama,PEA,pea,buy,FR0000120271,TotalEnergies,50,61.20,,3.06,EUR
2024-07-01,Boursorama,PEA,pea,dividend,FR0000120271,,,,39.50,,EUR
2024-09-10,Boursorama,PEA,pea,sell,FR0000120271,,20,66.80,,1.34,EUR`,
    },
  },
  prices: {
    columns: PRICE_COLUMNS,
    col: 'io.colP.',
    sample: {
      fr: `date;isin;titre;prix;devise
31/12/2024;FR0000120271;TotalEnergies;55,10;EUR
31/12/2024;IE00B4L5Y983;iShares Core MSCI World;101,42;EUR`,
      en: `date,isin,instrument,price,currency
2024-12-31,FR0000120271,TotalEnergies,55.10,EUR
2024-12-31,IE00B4L5Y983,iShares Core MSCI World,101.42,EUR`,
    },
  },
};

export function ImportExport() {
  const [layout, setLayout] = useState<ImportLayout>('values');
  const [path, setPath] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const pick = useSaving();
  const doImport = useSaving();
  const exp = useSaving();

  const choose = () => void pick.run(async () => {
    const p = await pickFile(t('io.pickCsv'), [{ name: 'CSV', extensions: ['csv', 'txt'] }]);
    if (!p) return;
    setPath(p);
    setResult(null);
    setPreview(null);
    setPreview(await ipc.importCsv(p, true, false));
  }, () => undefined);

  const runImport = (skipInvalid: boolean) => void doImport.run(async () => {
    try {
      setResult(await ipc.importCsv(path!, false, skipInvalid));
      setPreview(null);
    } catch (e) {
      const err = toAppError(e);
      if (err.code === 'import_invalid' && err.details && Array.isArray((err.details as { errors?: unknown }).errors)) {
        setPreview(err.details as unknown as ImportReport);
      }
      throw err;
    }
  }, () => toast(t('io.imported')));

  const exportAs = (format: 'json' | 'csv') => void exp.run(async () => {
    const target = await pickSavePath(t('io.exportTitle'), `patrimoine-${today()}.${format}`, [{ name: format.toUpperCase(), extensions: [format] }]);
    if (!target) return;
    await ipc.exportFile(target, format);
    toast(t('io.exported', { file: fileName(target) }));
  }, () => undefined);

  const report = preview;
  const bad = report ? new Set(report.errors.map((e) => e.line)).size : 0;

  return (
    <div class="page">
      <header class="page__header"><h1>{t('nav.io')}</h1></header>

      <section class="card" aria-labelledby="import-title">
        <h2 id="import-title" class="card__title">{t('io.importTitle')}</h2>
        <p>{t('io.importIntro')}</p>
        <div class="actions actions--start">
          <button type="button" class="btn btn--primary" disabled={pick.busy || doImport.busy} onClick={choose}>
            {pick.busy ? t('io.checking') : t('io.chooseCsv')}
          </button>
          {path && <span class="muted" title={path}>{fileName(path)}</span>}
        </div>
        <ErrorBanner error={pick.error} />

        {report && (
          <div class="import-preview" data-testid="import-preview">
            <h3>{report.dry_run ? t('io.previewTitle') : t('io.failedTitle')}</h3>
            <ReportCounts report={report} />
            {report.errors.length > 0 && (
              <>
                <p class="field__error">{t('io.errorsCount', { count: report.errors.length })}</p>
                <div class="table-wrap table-wrap--scroll">
                  <Table
                    variant="compact"
                    columns={[num(t('io.line')), t('io.column'), t('io.problem')]}
                  >
                    {report.errors.map((e, i) => (
                      <tr key={i}>
                        <td class="num">{e.line}</td>
                        <td><code>{e.column ?? '—'}</code></td>
                        <td>{hasKey(`lineError.${e.code}`) ? t(`lineError.${e.code}`, { column: e.column ?? '' }) : t('lineError.unknown')}</td>
                      </tr>
                    ))}
                  </Table>
                </div>
              </>
            )}
            <div class="actions actions--start">
              {report.errors.length === 0 ? (
                <button type="button" class="btn btn--primary" disabled={doImport.busy} onClick={() => runImport(false)}>
                  {t('io.import')}
                </button>
              ) : (
                report.imported > 0 && (
                  <button type="button" class="btn btn--primary" disabled={doImport.busy} onClick={() => runImport(true)}>
                    {t('io.importSkipping', { count: bad })}
                  </button>
                )
              )}
              <button type="button" class="btn" onClick={() => { setPreview(null); setPath(null); }}>{t('common.cancel')}</button>
            </div>
          </div>
        )}
        <ErrorBanner error={doImport.error} />
        {result && (
          <div class="banner banner--ok" role="status" data-testid="import-result">
            <p><strong>{t('io.doneTitle')}</strong></p>
            <ReportCounts report={result} />
          </div>
        )}

        <details class="csv-layout" open={!path}>
          <summary>{t('io.layoutTitle')}</summary>
          <p>{t('io.layoutsIntro')}</p>
          <div class="tabs" role="tablist" aria-label={t('io.layoutTitle')}>
            {(Object.keys(LAYOUTS) as ImportLayout[]).map((l) => (
              <button
                key={l}
                type="button"
                role="tab"
                aria-selected={layout === l}
                class={`tab ${layout === l ? 'is-active' : ''}`}
                onClick={() => setLayout(l)}
              >
                {t(`io.layout.${l}`)}
              </button>
            ))}
          </div>
          <p>{t(`io.layoutIntro.${layout}`)}</p>
          <Table
            variant="compact"
            columns={[t('io.column'), t('io.required'), t('io.content')]}
          >
            {LAYOUTS[layout].columns.map((c) => (
              <tr key={c.name}>
                <td>
                  {/* French users read the French header first; both are accepted. */}
                  {getLang() === 'fr' && c.french !== c.name ? (
                    <><code>{c.french}</code> <span class="muted">{t('io.orHeader')}</span> <code>{c.name}</code></>
                  ) : (
                    <code>{c.name}</code>
                  )}
                </td>
                <td>{c.required ? t('common.yes') : t('common.no')}</td>
                <td>{t(`${LAYOUTS[layout].col}${c.name}`)}</td>
              </tr>
            ))}
          </Table>
          {layout === 'values' && <p class="muted">{t('io.directHint')}</p>}
          {layout === 'activities' && <p class="muted">{t('io.activitySigns')}</p>}
          <pre class="code-sample">{LAYOUTS[layout].sample[getLang() === 'fr' ? 'fr' : 'en']}</pre>
        </details>
      </section>

      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title" class="card__title">{t('io.exportTitle')}</h2>
        <p>{t('io.exportIntro')}</p>
        <div class="actions actions--start">
          <button type="button" class="btn" disabled={exp.busy} onClick={() => exportAs('json')}>{t('io.exportJson')}</button>
          <button type="button" class="btn" disabled={exp.busy} onClick={() => exportAs('csv')}>{t('io.exportCsv')}</button>
        </div>
        <ErrorBanner error={exp.error} />
      </section>
    </div>
  );
}

function ReportCounts({ report }: { report: ImportReport }) {
  const common: [string, number][] = [
    ['io.count.lines', report.lines],
    ['io.count.imported', report.imported],
    ['io.count.skipped', report.skipped],
    ['io.count.institutions', report.institutions_created],
    ['io.count.accounts', report.accounts_created],
  ];
  const specific: Record<ImportLayout, [string, number][]> = {
    values: [
      ['io.count.assets', report.assets_created],
      ['io.count.inserted', report.values_inserted],
      ['io.count.updated', report.values_updated],
    ],
    activities: [
      ['io.count.instruments', report.instruments_created],
      ['io.count.activities', report.activities_inserted],
    ],
    prices: [
      ['io.count.instruments', report.instruments_created],
      ['io.count.pricesAdded', report.prices_inserted],
      ['io.count.pricesReplaced', report.prices_updated],
    ],
  };
  const rows = report.layout === 'prices' ? [...common.slice(0, 3), ...specific.prices] : [...common, ...specific[report.layout]];
  return (
    <>
      <p class="muted" data-testid="import-layout">{t('io.readAs', { layout: t(`io.layout.${report.layout}`) })}</p>
      <dl class="summary summary--inline">
        {rows.map(([k, v]) => (
          <div key={k}><dt>{t(k)}</dt><dd>{formatInteger(v)}</dd></div>
        ))}
      </dl>
    </>
  );
}
