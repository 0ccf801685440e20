//! Assets: searchable, filterable list with last values; create/edit form with
//! ownership, liability, allocation weights per dimension and composite components.
import { useEffect, useState } from 'preact/hooks';
import {
  ASSET_CLASSES, LIMITS, OWNERSHIPS, ipc, toAppError, type Account, type Asset, type AssetClass, type Dimension,
  type Input, type Institution, type LatestValue, type Ownership,
} from '../lib/ipc';
import { compare } from '../lib/decimal';
import { isIsoDate } from '../lib/dates';
import { decimalForInput, formatDate, formatMoney, parseDecimalInput } from '../lib/format';
import { getLocale, t } from '../lib/i18n';
import { accountLabel, filterAssets, isLiabilityClass, weightsStatus, weightsValues, type AssetFilter, type WeightRowState } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { useSaving } from '../lib/shell/useSaving';
import { useEdited, useUnsavedInput } from '../lib/shell/unsaved';
import { toast } from '../lib/shell/toast';
import { COMMON_CURRENCIES } from '../lib/vault/currencies';
import { errorField } from '../lib/vault/errors';
import { Checkbox, DateField, SelectField, TextField } from '../components/fields';
import { Modal } from '../components/Modal';
import { DeleteFlow, type DeleteTarget } from '../components/DeleteFlow';
import { WeightsEditor } from '../components/WeightsEditor';
import { EmptyState, ErrorBanner, Loading, errorMessage } from '../components/feedback';
import { ACTIONS, DeleteButton, EditButton, num, Table } from '../components/Table';

export interface PortfolioData {
  institutions: Institution[];
  accounts: Account[];
  assets: Asset[];
  dimensions: Dimension[];
  latest: LatestValue[];
}

export function loadPortfolio(): Promise<PortfolioData> {
  return Promise.all([ipc.listInstitutions(), ipc.listAccounts(), ipc.listAssets(), ipc.listDimensions(), ipc.latestValues()])
    .then(([institutions, accounts, assets, dimensions, latest]) => ({ institutions, accounts, assets, dimensions, latest }));
}

export function Assets() {
  const { navigate, route } = useShell();
  const data = useLoad(loadPortfolio, []);
  const [filter, setFilter] = useState<AssetFilter>({ search: '', assetClass: '', account: '', showArchived: false });
  const [editing, setEditing] = useState<Asset | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const locale = getLocale();
  // Asked for from elsewhere (the N shortcut): the new-asset form, once the data is here.
  const create = route.name === 'assets' ? route.create : undefined;
  useEffect(() => {
    if (create !== undefined) setEditing('new');
  }, [create]);

  const d = data.data;
  const shown = d ? filterAssets(d.assets, filter, d).sort((a, b) => a.name.localeCompare(b.name, locale)) : [];

  return (
    <div class="page">
      <header class="page__header">
        <h1>{t('nav.assets')}</h1>
        <div class="page__actions">
          <button type="button" class="btn btn--primary" disabled={!d} onClick={() => setEditing('new')}>{t('assets.add')}</button>
        </div>
      </header>
      {data.loading && !d && <Loading />}
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {d && d.assets.length === 0 && (
        <EmptyState title={t('assets.emptyTitle')} text={t('assets.emptyText')}>
          <button type="button" class="btn btn--primary" onClick={() => setEditing('new')}>{t('assets.add')}</button>
        </EmptyState>
      )}
      {d && d.assets.length > 0 && (
        <>
          <div class="filters" role="search">
            <TextField label={t('assets.search')} type="search" name="asset-search" value={filter.search}
              onValue={(search) => setFilter({ ...filter, search })} placeholder={t('assets.searchPlaceholder')} />
            <SelectField label={t('assets.class')} name="filter-class" value={filter.assetClass}
              onValue={(v) => setFilter({ ...filter, assetClass: v as AssetClass | '' })}
              options={[{ value: '', label: t('common.all') }, ...ASSET_CLASSES.map((c) => ({ value: c, label: t(`assetClass.${c}`) }))]} />
            <SelectField label={t('common.account')} name="filter-account" value={filter.account}
              onValue={(account) => setFilter({ ...filter, account })}
              options={[
                { value: '', label: t('common.all') },
                { value: 'direct', label: t('assets.heldDirectly') },
                ...d.accounts.map((a) => ({ value: String(a.id), label: accountLabel(a, d.institutions) })),
              ]} />
            <Checkbox label={t('assets.showArchived')} checked={filter.showArchived} name="show-archived"
              onChecked={(showArchived) => setFilter({ ...filter, showArchived })} />
          </div>
          {shown.length === 0 ? (
            <EmptyState title={t('assets.noMatch')} />
          ) : (
            <div class="card card--flush">
              <Table
                columns={[
                  t('common.name'), t('assets.class'), t('common.account'), num(t('assets.lastValue')),
                  t('common.date'), ACTIONS,
                ]}
              >
                {shown.map((a) => {
                  const lv = d.latest.find((l) => l.asset_id === a.id);
                  const acc = d.accounts.find((x) => x.id === a.account_id);
                  return (
                    <tr key={a.id} class={a.archived ? 'row--muted' : ''}>
                      <td>
                        <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'asset', id: a.id })}>{a.name}</button>
                        {a.liability && <span class="tag tag--warn">{t('assets.liability')}</span>}
                        {a.archived && <span class="tag">{t('assets.archived')}</span>}
                      </td>
                      <td>{t(`assetClass.${a.class}`)}</td>
                      <td>{acc ? accountLabel(acc, d.institutions) : t('assets.heldDirectly')}</td>
                      <td class="num">{lv ? formatMoney(lv.value, a.currency) : '—'}</td>
                      <td class="nowrap">{lv ? formatDate(lv.date) : '—'}</td>
                      <td class="row-actions">
                        <EditButton onClick={() => setEditing(a)} />
                        <DeleteButton onClick={() => setDeleting({ what: t('assets.theAsset', { name: a.name }), run: (force) => ipc.deleteAsset(a.id, force) })} />
                      </td>
                    </tr>
                  );
                })}
              </Table>
            </div>
          )}
        </>
      )}
      {editing && d && (
        <AssetForm item={editing === 'new' ? null : editing} data={d} onCancel={() => setEditing(null)}
          onSaved={() => { setEditing(null); toast(t('common.saved')); data.reload(); }} />
      )}
      {deleting && (
        <DeleteFlow target={deleting} onCancel={() => setDeleting(null)}
          onDone={() => { setDeleting(null); toast(t('common.deleted')); data.reload(); }} />
      )}
    </div>
  );
}

interface FormProps {
  item: Asset | null;
  data: PortfolioData;
  onCancel: () => void;
  onSaved: () => void;
}

function toRows(weights: { bucket?: string; asset_id?: number; weight: string }[]): WeightRowState[] {
  return weights.map((w) => ({ key: w.bucket ?? String(w.asset_id ?? ''), text: decimalForInput(w.weight) }));
}

export function AssetForm({ item, data, onCancel, onSaved }: FormProps) {
  const { session } = useShell();
  const [account, setAccount] = useState(item ? (item.account_id === null ? '' : String(item.account_id)) : String(data.accounts.find((a) => !a.closed_on)?.id ?? ''));
  const [name, setName] = useState(item?.name ?? '');
  const [cls, setCls] = useState<AssetClass>(item?.class ?? 'cash');
  const defaultCurrency = () => data.accounts.find((a) => String(a.id) === account)?.currency ?? session.base_currency;
  const [currency, setCurrency] = useState(item?.currency ?? defaultCurrency());
  const [isin, setIsin] = useState(item?.isin ?? '');
  const [ticker, setTicker] = useState(item?.ticker ?? '');
  const [share, setShare] = useState(item ? decimalForInput(item.share_pct) : '100');
  const [ownership, setOwnership] = useState<Ownership>(item?.ownership ?? 'full');
  // Dismembered ownership valued by article 669 CGI: the usufructuary's birth date, the end of a fixed-term usufruct.
  const [born, setBorn] = useState(item?.usufructuary_born ?? '');
  const [ends, setEnds] = useState(item?.usufruct_ends ?? '');
  const [liability, setLiability] = useState(item?.liability ?? false);
  const [archived, setArchived] = useState(item?.archived ?? false);
  const [dimensions, setDimensions] = useState<Dimension[]>(data.dimensions);
  const [alloc, setAlloc] = useState<Record<string, WeightRowState[]>>(() => {
    const out: Record<string, WeightRowState[]> = {};
    for (const [dim, ws] of Object.entries(item?.allocations ?? {})) out[dim] = toRows(ws);
    return out;
  });
  const [components, setComponents] = useState<WeightRowState[]>(toRows(item?.components ?? []));
  const [newDim, setNewDim] = useState('');
  const [dimError, setDimError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const { busy, error, run } = useSaving();
  const field = errorField(error);
  useUnsavedInput(useEdited({ account, name, cls, currency, isin, ticker, share, ownership, liability, archived, alloc, components, newDim, born, ends }));

  const locked = isLiabilityClass(cls);
  const shareValue = parseDecimalInput(share);
  const shareBad = shareValue === null || compare(shareValue, '0') < 0 || compare(shareValue, '100') > 0;
  const isinBad = isin.trim() !== '' && !/^[A-Za-z]{2}[A-Za-z0-9]{9}\d$/.test(isin.trim());
  const allocBad = Object.values(alloc).some((rows) => !['empty', 'ok'].includes(weightsStatus(rows).kind));
  const compBad = !['empty', 'ok'].includes(weightsStatus(components).kind);
  const dismembered = ownership !== 'full';
  const bornBad = dismembered && born !== '' && !isIsoDate(born);
  const endsBad = dismembered && ends !== '' && !isIsoDate(ends);

  const errs: Record<string, string | null> = {
    name: submitted && name.trim() === '' ? t('common.required') : null,
    share_pct: submitted && shareBad ? t('assets.shareInvalid') : null,
    isin: submitted && isinBad ? t('assets.isinInvalid') : null,
    usufructuary_born: submitted && bornBad ? t('common.badDate') : null,
    usufruct_ends: submitted && endsBad ? t('common.badDate') : null,
  };
  const fieldErr = (f: string) => errs[f] ?? (field === f ? errorMessage(error) : null);

  const addDimension = async () => {
    const n = newDim.trim();
    setDimError(null);
    if (n === '') return;
    try {
      await ipc.createDimension(n);
      setDimensions(await ipc.listDimensions());
      setAlloc({ ...alloc, [n]: [{ key: '', text: '' }] });
      setNewDim('');
    } catch (e) {
      setDimError(errorMessage(toAppError(e)));
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (name.trim() === '' || shareBad || isinBad || allocBad || compBad || bornBad || endsBad) return;
    const allocations: Asset['allocations'] = {};
    for (const [dim, rows] of Object.entries(alloc)) {
      const vals = weightsValues(rows);
      if (vals.length > 0) allocations[dim] = vals.map((v) => ({ bucket: v.key, weight: v.weight }));
    }
    const input: Input<Asset> = {
      account_id: account === '' ? null : Number(account),
      name: name.trim(), class: cls, liability: locked ? true : liability, currency,
      isin: isin.trim() === '' ? null : isin.trim().toUpperCase(),
      ticker: ticker.trim() === '' ? null : ticker.trim(),
      share_pct: shareValue!, ownership, archived,
      components: weightsValues(components).map((v) => ({ asset_id: Number(v.key), weight: v.weight })),
      allocations,
      usufructuary_born: dismembered && born !== '' ? born : null,
      usufruct_ends: dismembered && ends !== '' ? ends : null,
    };
    void run(() => (item ? ipc.updateAsset(item.id, input) : ipc.createAsset(input)), onSaved);
  };

  const currencies = COMMON_CURRENCIES.includes(currency as (typeof COMMON_CURRENCIES)[number]) ? COMMON_CURRENCIES : [currency, ...COMMON_CURRENCIES];
  const otherAssets = data.assets.filter((a) => a.id !== item?.id);
  const knownBuckets = (dim: string) => [...new Set(data.assets.flatMap((a) => (a.allocations[dim] ?? []).map((w) => w.bucket)))];
  const known = new Set(['name', 'share_pct', 'isin', 'ticker', 'currency', 'weights', 'components', 'allocations', 'usufructuary_born', 'usufruct_ends']);

  return (
    <Modal title={item ? t('assets.edit', { name: item.name }) : t('assets.new')} onClose={onCancel} wide>
      <form onSubmit={submit} noValidate class="asset-form">
        <div class="form-row">
          <SelectField label={t('common.account')} name="asset-account" value={account}
            onValue={(v) => { setAccount(v); if (!item) setCurrency(data.accounts.find((a) => String(a.id) === v)?.currency ?? session.base_currency); }}
            options={[{ value: '', label: t('assets.heldDirectly') }, ...data.accounts.map((a) => ({ value: String(a.id), label: accountLabel(a, data.institutions) }))]} />
          <TextField label={t('common.name')} name="asset-name" value={name} onValue={setName} maxLength={LIMITS.item_name_max} error={fieldErr('name')} />
        </div>
        <div class="form-row form-row--3">
          <SelectField label={t('assets.class')} name="asset-class" value={cls}
            onValue={(v) => { setCls(v as AssetClass); setLiability(isLiabilityClass(v as AssetClass)); }}
            options={ASSET_CLASSES.map((c) => ({ value: c, label: t(`assetClass.${c}`) }))} />
          <SelectField label={t('common.currency')} name="asset-currency" value={currency} onValue={setCurrency}
            error={fieldErr('currency')} options={currencies.map((c) => ({ value: c, label: c }))} />
          <TextField label={t('assets.isin')} name="asset-isin" value={isin} onValue={setIsin} maxLength={12}
            spellcheck={false} error={fieldErr('isin')} />
        </div>
        <div class="form-row form-row--3">
          <TextField label={t('assets.ticker')} name="asset-ticker" value={ticker} onValue={setTicker} maxLength={20} error={fieldErr('ticker')} />
          <TextField label={t('assets.share')} name="asset-share" inputMode="decimal" class="input--number" value={share}
            onValue={setShare} error={fieldErr('share_pct')} hint={t('assets.shareHint')} />
          <SelectField label={t('assets.ownership')} name="asset-ownership" value={ownership} onValue={(v) => setOwnership(v as Ownership)}
            options={OWNERSHIPS.map((o) => ({ value: o, label: t(`ownership.${o}`) }))} />
        </div>
        {dismembered && (
          <div class="form-row">
            <DateField label={t('assets.usufructuaryBorn')} name="asset-usufructuary-born" value={born} onValue={setBorn}
              error={fieldErr('usufructuary_born')} hint={t('assets.usufructuaryBornHint')} />
            <DateField label={t('assets.usufructEnds')} name="asset-usufruct-ends" value={ends} onValue={setEnds}
              error={fieldErr('usufruct_ends')} hint={t('assets.usufructEndsHint')} />
          </div>
        )}
        <div class="form-row">
          <Checkbox label={t('assets.isLiability')} name="asset-liability" checked={locked || liability} disabled={locked}
            onChecked={setLiability} hint={locked ? t('assets.loanIsLiability') : t('assets.liabilityHint')} />
          <Checkbox label={t('assets.isArchived')} name="asset-archived" checked={archived} onChecked={setArchived}
            hint={t('assets.archivedHint')} />
        </div>

        <h3>{t('assets.allocations')}</h3>
        <p class="muted">{t('assets.allocationsHint')}</p>
        <div class="weights-grid">
          {dimensions.map((dim) => (
            <WeightsEditor key={dim.id} legend={dim.builtin && ['region', 'sector'].includes(dim.name) ? t(`dimension.${dim.name}`) : dim.name}
              rows={alloc[dim.name] ?? []} onChange={(rows) => setAlloc({ ...alloc, [dim.name]: rows })}
              keyLabel={t('weights.bucket')} suggestions={knownBuckets(dim.name)} testId={`weights-${dim.name}`}
              serverError={field === 'weights' && (error?.detailString('dimension') ?? dim.name) === dim.name ? errorMessage(error) : null} />
          ))}
        </div>
        <div class="inline-form">
          <TextField label={t('assets.newDimension')} name="new-dimension" value={newDim} onValue={setNewDim} error={dimError}
            hint={t('assets.newDimensionHint')} />
          <button type="button" class="btn" onClick={() => void addDimension()} disabled={newDim.trim() === ''}>
            {t('assets.createDimension')}
          </button>
        </div>

        <h3>{t('assets.components')}</h3>
        <p class="muted">{t('assets.componentsHint')}</p>
        <WeightsEditor legend={t('assets.components')} rows={components} onChange={setComponents}
          keyLabel={t('assets.componentAsset')} testId="components"
          keyOptions={otherAssets.map((a) => ({ value: String(a.id), label: a.name }))}
          serverError={field === 'components' ? errorMessage(error) : null} />

        {submitted && (allocBad || compBad) && <p class="field__error" role="alert">{t('weights.fixBeforeSaving')}</p>}
        {error && !known.has(field ?? '') && <p class="field__error" role="alert">{errorMessage(error)}</p>}
        <div class="actions">
          <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}
