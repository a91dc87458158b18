import { Api, messageOf } from "../api";
import { h, notice } from "../lib/dom";
import { saveSession, type Session } from "../session";

export function renderLogin(root: HTMLElement, api: Api, next: string | null, done: (s: Session) => void): void {
  const status = h("div", { "aria-live": "polite" });
  const name = h("input", { id: "login-name", name: "username", autocomplete: "username", required: true, maxlength: 64 });
  const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    { className: "card login", "aria-labelledby": "login-title" },
    h("h2", { id: "login-title" }, "Sign in to Ursprung"),
    next ? h("p", {}, "Please sign in to continue.") : null,
    h("label", { for: "login-name" }, "User name"),
    name,
    h("label", { for: "login-password" }, "Password"),
    password,
    submit,
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    status.replaceChildren(notice("Signing in…"));
    try {
      const r = await api.login(name.value.trim(), password.value);
      const s: Session = { token: r!.token, user: r!.user, expiresAt: r!.expiresAt };
      saveSession(s);
      done(s);
    } catch (err) {
      status.replaceChildren(notice(messageOf(err).replace("Please sign in again: your session is not valid.", "Unknown user name or wrong password."), "error"));
      password.select();
    } finally {
      submit.disabled = false;
    }
  });

  // Automation and the built-in admin sign in with a bearer token instead of a password.
  const token = h("input", { id: "login-token", type: "password", autocomplete: "off", minlength: 16 });
  const useToken = h("button", { type: "submit", className: "secondary" }, "Use token");
  const tokenStatus = h("div", { "aria-live": "polite" });
  const tokenForm = h(
    "form",
    { className: "token-form" },
    h("label", { for: "login-token" }, "API token"),
    token,
    useToken,
    tokenStatus,
  );
  tokenForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const t = token.value.trim();
    try {
      const user = await new Api(() => t).me();
      const s: Session = { token: t, user, pasted: true };
      saveSession(s);
      done(s);
    } catch (err) {
      tokenStatus.replaceChildren(notice(messageOf(err).replace("Please sign in again: your session is not valid.", "This token is not valid."), "error"));
    }
  });
  root.append(
    form,
    h("details", { className: "card login" }, h("summary", {}, "Sign in with an API token instead"), tokenForm),
  );
  name.focus();
}
