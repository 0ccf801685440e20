//! Password strength, as shown by the meter: length first, then variety of character
//! kinds. The backend only enforces the minimum length; the meter guides the user.

import { LIMITS } from '../ipc';

/** The backend refuses shorter passwords (`weak_password`). */
export const MIN_PASSWORD_LENGTH = LIMITS.password_min;

export type Strength = 0 | 1 | 2 | 3 | 4;

/** 0 = too short, 1 = weak, 2 = fair, 3 = good, 4 = strong. */
export function passwordStrength(password: string): Strength {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 0;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const unique = new Set(password).size;
  let score = 1;
  if (length >= 12) score += 1;
  if (length >= 16) score += 1;
  if (kinds >= 3) score += 1;
  if (kinds <= 1 && length < 20) score -= 1;
  if (unique <= 3) score = 1;
  return Math.max(1, Math.min(4, score)) as Strength;
}

export const STRENGTH_KEYS = [
  'password.strength.tooShort',
  'password.strength.weak',
  'password.strength.fair',
  'password.strength.good',
  'password.strength.strong',
] as const;
