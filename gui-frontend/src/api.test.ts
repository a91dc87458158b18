import { describe, expect, it } from "vitest";
import { describeFailure } from "./api";

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
