import type { User } from "./types";

// The session lives in sessionStorage: it ends with the tab, and another tab has to sign in on
// its own, which is what a shared cluster workstation wants. A token pasted by hand (automation,
// the built-in admin) is marked so that signing out only forgets it instead of revoking it for
// every script that uses it.

const KEY = "ursprung.session";

export interface Session {
  token: string;
  user: User;
  expiresAt?: string;
  pasted?: boolean;
}

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s.token || !s.user?.name) return null;
    if (s.expiresAt && Date.parse(s.expiresAt) < Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
