// The one place the GUI talks HTTP. Every failure becomes an ApiError with words a person can read,
// so no view ever shows a blank page.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Turns a failed response into a sentence, using the API's error body when there is one. */
export async function describeFailure(res: Response): Promise<string> {
  let detail = "";
  try {
    const body = (await res.json()) as { message?: string; errors?: { field?: string; message?: string }[] };
    if (body.errors?.length) {
      detail = body.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : `${e.message}`)).join("; ");
    } else if (body.message) {
      detail = body.message;
    }
  } catch {
    // Not JSON: fall back to the status line.
  }
  switch (res.status) {
    case 401:
      return "Please sign in again: your session is not valid.";
    case 403:
      return "You are not allowed to see this." + (detail ? ` (${detail})` : "");
    case 404:
      return "Not found." + (detail ? ` (${detail})` : "");
    default:
      return `The server answered ${res.status} ${res.statusText}` + (detail ? `: ${detail}` : ".");
  }
}

export async function getJson<T>(path: string, token?: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      headers: token ? { Authorization: `Bearer ${token}`, Accept: "application/json" } : { Accept: "application/json" },
    });
  } catch {
    throw new ApiError("The Ursprung server cannot be reached. Is the backend running?", 0);
  }
  if (!res.ok) {
    throw new ApiError(await describeFailure(res), res.status);
  }
  return (await res.json()) as T;
}
