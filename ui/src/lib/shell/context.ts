//! The unlocked session as seen by views: session info, navigation, lock, refresh.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AppInfo, SessionInfo } from '../ipc';
import type { Route } from './routes';

export interface ShellContext {
  info: AppInfo;
  session: SessionInfo;
  route: Route;
  navigate: (route: Route) => void;
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
