//! Profile management (admin only): list, rename, delete by typing the name, and create
//! another profile with the same creation flow as the first run.
import { useState } from 'preact/hooks';
import { ipc, LIMITS, type ProfileView } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { useShell } from '../../lib/shell/context';
import { useSaving } from '../../lib/shell/useSaving';
import { useUnsavedInput } from '../../lib/shell/unsaved';
import { toast } from '../../lib/shell/toast';
import { TextField } from '../../components/fields';
import { ConfirmDialog, Modal } from '../../components/Modal';
import { errorMessage } from '../../components/feedback';
import { CreateProfileFlow } from '../CreateProfileFlow';
import { ACTIONS, DeleteButton, Table } from '../../components/Table';

export function ProfilesSection() {
  const { info, session, setSession, refreshInfo } = useShell();
  const [profiles, setProfiles] = useState<ProfileView[]>(info.profiles);
  const [renaming, setRenaming] = useState<ProfileView | null>(null);
  const [deleting, setDeleting] = useState<ProfileView | null>(null);
  const [creating, setCreating] = useState(false);
  const [typed, setTyped] = useState('');
  const del = useSaving();

  const refresh = async () => setProfiles((await refreshInfo()).profiles);

  return (
    <section class="card" aria-labelledby="profiles-title">
      <div class="card__head">
        <h2 id="profiles-title" class="card__title">{t('profiles.title')}</h2>
        <button type="button" class="btn btn--primary" disabled={profiles.length >= 5} onClick={() => setCreating(true)}>
          {t('profiles.create')}
        </button>
      </div>
      <p class="muted">{t('profiles.intro', { count: profiles.length })}</p>
      <Table
        columns={[t('common.name'), t('profiles.created'), t('profiles.role'), ACTIONS]}
      >
        {profiles.map((p) => (
          <tr key={p.id}>
            <td>{p.name}{p.name === session.profile.name && <span class="tag">{t('profiles.you')}</span>}</td>
            <td class="nowrap">{formatDateTime(p.created_at)}</td>
            <td>{p.admin ? t('profile.admin') : t('profiles.member')}</td>
            <td class="row-actions">
              <button type="button" class="btn btn--small" onClick={() => setRenaming(p)}>{t('profiles.rename')}</button>
              {!p.admin && (
                <DeleteButton onClick={() => { setTyped(''); setDeleting(p); }} />
              )}
            </td>
          </tr>
        ))}
      </Table>
      {renaming && <RenameDialog profile={renaming} onClose={() => setRenaming(null)} onDone={(list) => {
        const me = list.find((p) => p.id === session.profile.id);
        if (me && me.name !== session.profile.name) setSession({ ...session, profile: me });
        setProfiles(list); setRenaming(null); void refresh(); toast(t('common.saved'));
      }} />}
      {deleting && (
        <ConfirmDialog title={t('profiles.deleteTitle', { name: deleting.name })} danger busy={del.busy}
          message={<p>{t('profiles.deleteText', { name: deleting.name })}</p>} confirmLabel={t('profiles.deleteConfirm')}
          requireText={deleting.name} typed={typed} onTyped={setTyped}
          error={del.error ? errorMessage(del.error) : null} onCancel={() => setDeleting(null)}
          onConfirm={() => void del.run(async () => setProfiles(await ipc.deleteProfile(deleting.name, typed)), () => {
            setDeleting(null); void refresh(); toast(t('common.deleted'));
          })} />
      )}
      {creating && (
        <Modal title={t('profiles.create')} onClose={() => setCreating(false)} wide>
          <CreateProfileFlow dataDir={info.data_dir} keychainAvailable={false} offerKeychain={false}
            onFinished={() => { setCreating(false); void refresh(); toast(t('profiles.created')); }} />
        </Modal>
      )}
    </section>
  );
}

function RenameDialog({ profile, onClose, onDone }: { profile: ProfileView; onClose: () => void; onDone: (p: ProfileView[]) => void }) {
  const [name, setName] = useState(profile.name);
  const { busy, error, run } = useSaving();
  useUnsavedInput(name !== profile.name);
  const submit = (e: Event) => {
    e.preventDefault();
    if (name.trim() === '' || name.trim() === profile.name) return;
    let result: ProfileView[] = [];
    void run(async () => { result = await ipc.renameProfile(profile.name, name.trim()); }, () => onDone(result));
  };
  return (
    <Modal title={t('profiles.renameTitle', { name: profile.name })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField label={t('profiles.newName')} name="new-name" value={name} onValue={setName} maxLength={LIMITS.profile_name_max}
          error={name.trim() === '' ? t('common.required') : error ? errorMessage(error) : null} />
        <div class="actions">
          <button type="button" class="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn--primary" disabled={busy}>{t('profiles.rename')}</button>
        </div>
      </form>
    </Modal>
  );
}
