//! The unlocked session as seen by views: session info, navigation, lock, refresh.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AppInfo, SessionInfo } from '../ipc';
import type { Route } from './routes';

export interface ShellContext {
  info: AppInfo;
  session: SessionInfo;
  route: Route;
  /** Goes to another screen, after asking if a form holds unsaved input. */
  navigate: (route: Route) => void;
  /** Runs `leave` (a move within a screen that drops its forms, e.g. another tab),
   *  after asking if a form holds unsaved input. */
  guard: (leave: () => void) => void;
  setSession: (session: SessionInfo) => void;
  refreshInfo: () => Promise<AppInfo>;
  lock: () => void;
}

export const Shell = createContext<ShellContext | null>(null);

export function useShell(): ShellContext {
  const ctx = useContext(Shell);
  if (!ctx) throw new Error('useShell outside of the app shell');
  return ctx;
}
