import { describe, expect, it } from "vitest";
import {
  BosunError,
  codeForStatus,
  ERROR_CODES,
  type ErrorCode,
  EXIT,
  fromWire,
  isBosunError,
  isErrorCode,
  toWire,
} from "./errors.js";

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

describe("error codes", () => {
  it("each code has one HTTP status and one exit code", () => {
    const table = Object.fromEntries(
      CODES.map((code) => [code, [ERROR_CODES[code].http, ERROR_CODES[code].exit]]),
    );
    expect(table).toEqual({
      "bad-input": [400, EXIT.usage],
      "not-found": [404, EXIT.usage],
      "not-ready": [409, EXIT.problems],
      refused: [422, EXIT.problems],
      conflict: [409, EXIT.problems],
      unavailable: [503, EXIT.problems],
      "invalid-config": [500, EXIT.problems],
      internal: [500, EXIT.problems],
    });
    for (const code of CODES) expect(ERROR_CODES[code].meaning).not.toBe("");
  });

  it.each(CODES)("%s round-trips through toWire and fromWire", (code) => {
    const err = new BosunError(code, `something about ${code}: "x" (fix it)`);
    expect(err.http).toBe(ERROR_CODES[code].http);
    expect(err.exitCode).toBe(ERROR_CODES[code].exit);
    const body = JSON.parse(JSON.stringify(toWire(err)));
    expect(body).toEqual({ error: err.message, code });
    const back = fromWire(err.http, body);
    expect(back).toBeInstanceOf(BosunError);
    expect(back.code).toBe(code);
    expect(back.message).toBe(err.message);
    expect(back.http).toBe(ERROR_CODES[code].http);
    expect(back.exitCode).toBe(ERROR_CODES[code].exit);
  });

  it("details travel with the error; a stack trace never does", () => {
    const err = new BosunError("bad-input", "limit: too big", { details: { limit: 5000 } });
    const wire = toWire(err);
    expect(wire).toEqual({ error: "limit: too big", code: "bad-input", details: { limit: 5000 } });
    expect(JSON.stringify(wire)).not.toContain("errors.test");
    expect(fromWire(400, JSON.parse(JSON.stringify(wire))).details).toEqual({ limit: 5000 });
  });

  it("the code on the wire wins over the status", () => {
    // not-ready and conflict share 409: only the code tells them apart.
    expect(fromWire(409, { error: "held", code: "conflict" }).code).toBe("conflict");
    expect(fromWire(500, { error: "x", code: "bad-input" }).code).toBe("bad-input");
  });

  it("an answer without a code (an older server, a proxy) is read by its status", () => {
    expect(fromWire(400, { error: 'not a date: "x"' })).toMatchObject({
      code: "bad-input",
      message: 'not a date: "x"',
    });
    expect(fromWire(404, { error: "no runbook" }).code).toBe("not-found");
    expect(fromWire(409, { error: "never synced" }).code).toBe("not-ready");
    expect(fromWire(422, { error: "no" }).code).toBe("refused");
    expect(fromWire(400, { error: "x", code: "no-such-code" }).code).toBe("bad-input");
    // Fastify's default answer carries the reason in `message`.
    expect(
      fromWire(500, { statusCode: 500, error: "Internal Server Error", message: "boom" }),
    ).toMatchObject({ code: "internal", message: "boom" });
    expect(fromWire(502, "<html>\nBad Gateway</html>", "the Bosun server at X")).toMatchObject({
      code: "unavailable",
      message: "the Bosun server at X answered 502: <html>",
    });
    expect(fromWire(500, "").message).toBe("the server answered 500");
    expect(codeForStatus(418)).toBe("bad-input");
    expect(codeForStatus(503)).toBe("unavailable");
    expect(codeForStatus(500)).toBe("internal");
  });

  it("isErrorCode and isBosunError", () => {
    expect(CODES.every(isErrorCode)).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    const err = new BosunError("not-found", "no runbook");
    expect(isBosunError(err)).toBe(true);
    expect(isBosunError(err, "bad-input", "not-found")).toBe(true);
    expect(isBosunError(err, "bad-input")).toBe(false);
    expect(isBosunError(new RangeError("x"))).toBe(false);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("BosunError");
  });
});
