//! The app's data table: one heading row built from column descriptions, the rows as
//! children. Every heading is a column header for screen readers (`scope="col"`).
import type { ComponentChildren, Ref } from 'preact';
import { t } from '../lib/i18n';

/** A column holding numbers (right-aligned), made by {@link num}. */
export interface NumColumn {
  num: ComponentChildren;
}

/** A column of numbers with this heading. */
export const num = (label: ComponentChildren): NumColumn => ({ num: label });

/** The last column of a table whose rows end with buttons: named for screen readers only. */
export const ACTIONS: unique symbol = Symbol('actions');

/** A column: its heading, or {@link num} of it, or {@link ACTIONS}. */
export type Column = ComponentChildren | NumColumn | typeof ACTIONS;

const isNum = (c: Column): c is NumColumn => typeof c === 'object' && c !== null && 'num' in c;

export function Table({
  columns,
  variant,
  bodyRef,
  children,
}: {
  columns: Column[];
  /** `compact`: tighter rows; `inputs`: rows holding input fields. */
  variant?: 'compact' | 'inputs';
  bodyRef?: Ref<HTMLTableSectionElement>;
  children: ComponentChildren;
}) {
  return (
    <table class={variant ? `table table--${variant}` : 'table'}>
      <thead>
        <tr>
          {columns.map((c, i) =>
            c === ACTIONS ? (
              <th key={i} scope="col">
                <span class="sr-only">{t('common.actions')}</span>
              </th>
            ) : (
              <th key={i} scope="col" class={isNum(c) ? 'num' : undefined}>
                {isNum(c) ? c.num : (c as ComponentChildren)}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody ref={bodyRef}>{children}</tbody>
    </table>
  );
}

/** The small "Edit" button of a row. */
export function EditButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" class="btn btn--small" onClick={onClick}>
      {t('common.edit')}
    </button>
  );
}

/** The small "Delete" button of a row; what it deletes is confirmed in a dialog. */
export function DeleteButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" class="btn btn--small btn--danger-ghost" onClick={onClick}>
      {t('common.delete')}
    </button>
  );
}
