import { describe, expect, it } from "vitest";
import { Api, ApiError, describeFailure, messageOf, query } from "./api";

function response(status: number, body: unknown, statusText = ""): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), { status, statusText });
}

describe("describeFailure", () => {
  it("lists every bad field of a 400", async () => {
    const text = await describeFailure(
      response(400, { errors: [{ field: "depth", message: "must be 1..50" }, { field: "path", message: "must be absolute" }] }, "Bad Request"),
    );
    expect(text).toContain("depth: must be 1..50");
    expect(text).toContain("path: must be absolute");
  });

  it("asks to sign in on 401", async () => {
    expect(await describeFailure(response(401, {}))).toMatch(/sign in/);
  });

  it("survives a body that is not JSON", async () => {
    expect(await describeFailure(response(502, "<html>bad gateway</html>", "Bad Gateway"))).toBe(
      "The server answered 502 Bad Gateway.",
    );
  });
});

describe("more failures in words", () => {
  it("says when to retry after too many logins", async () => {
    const res = new Response("{}", { status: 429, headers: { "Retry-After": "30" } });
    expect(await describeFailure(res)).toBe("Too many attempts. Try again in 30 seconds.");
  });
  it("explains 404 as not found or not visible, and 503 as the store", async () => {
    expect(await describeFailure(response(404, { message: "file not found" }))).toMatch(/not visible to you/);
    expect(await describeFailure(response(503, {}))).toMatch(/store is unavailable/);
  });
});

describe("messageOf and query", () => {
  it("words anything thrown", () => {
    expect(messageOf(new ApiError("Nope.", 404))).toBe("Nope.");
    expect(messageOf(new Error("boom"))).toMatch(/boom/);
    expect(messageOf("??")).toMatch(/Something went wrong/);
  });
  it("leaves out empty parameters and encodes the rest", () => {
    expect(query({ path: "/a b", host: "", depth: 2, x: undefined })).toBe("?path=%2Fa+b&depth=2");
    expect(query({})).toBe("");
  });
});

describe("Api", () => {
  it("sends the bearer token, and reports an unreachable server and a 401", async () => {
    const calls: RequestInit[] = [];
    const real = globalThis.fetch;
    let unauthorized = 0;
    try {
      globalThis.fetch = (async (_url: string, init: RequestInit) => {
        calls.push(init);
        return new Response("{}", { status: 401 });
      }) as typeof fetch;
      const api = new Api(() => "tok");
      api.onUnauthorized = () => unauthorized++;
      await expect(api.me()).rejects.toThrow(/sign in/);
      expect((calls[0].headers as Record<string, string>).Authorization).toBe("Bearer tok");
      expect(unauthorized).toBe(1);
      globalThis.fetch = (async () => {
        throw new TypeError("network");
      }) as typeof fetch;
      await expect(api.health()).rejects.toThrow(/cannot be reached/);
    } finally {
      globalThis.fetch = real;
    }
  });
});
