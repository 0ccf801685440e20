//! UI helpers over the generated contract (`generated/types.ts`, derived from the Rust
//! types). Nothing here describes what crosses the seam: that is generated, once.
import type { Decimal } from './generated/types';

export type { Decimal };

/** A calendar date "YYYY-MM-DD" (the contract sends dates as plain strings). */
export type IsoDate = string;

/** Input of create/update commands: the domain object, its `id` ignored by the core. */
export type Input<T extends { id: number }> = Omit<T, 'id'>;
