import type { Api } from "./api";
import type { Session } from "./session";

/** What every view gets: the API client, who is signed in, and the route's parameters. */
export interface AppContext {
  api: Api;
  session: Session;
  params: URLSearchParams;
  navigate: (hash: string) => void;
  /** Sets the document title, so screen readers and tabs say where the user is. */
  title: (t: string) => void;
}

/** A view draws into its root and may return a clean-up run when the user leaves it. */
export type View = (root: HTMLElement, ctx: AppContext) => void | (() => void);
