// Issue 20 item 6: a signed body nested thousands deep is refused (400) before it is parsed or
// stored; it used to be answered "duplicate" (10,000 deep) or hang the server (20,000 deep).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryMatcher, signBody } from "../../src/github/webhooks/index.js";
import { MAX_NESTING, nestingTooDeepAt } from "../../src/github/webhooks/ingest.js";
import { buildServer } from "../../src/server/app.js";
import { testServer } from "../support/app.js";

const SECRET = "depth-secret";
type T = Awaited<ReturnType<typeof testServer>>;
let t: T;
let app: Awaited<ReturnType<typeof buildServer>>;

beforeAll(async () => {
  t = await testServer();
  app = await buildServer({
    data: t.data,
    summary: () => ({}) as never,
    rules: [],
    webhooks: {
      secret: SECRET,
      repositories: repositoryMatcher(["fleetdm/fleet"]),
      store: t.store,
    },
  });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const nested = (depth: number) =>
  `{"action":"opened","repository":{"full_name":"fleetdm/fleet"},"x":${"[".repeat(depth)}${"]".repeat(depth)}}`;

function deliver(body: string, deliveryId = randomUUID()) {
  return app.inject({
    method: "POST",
    url: "/webhooks/github",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": signBody(SECRET, body),
    },
    payload: body,
  });
}

describe("deeply nested webhook bodies", () => {
  for (const depth of [10_000, 20_000]) {
    it(`${depth} deep, validly signed: 400 at once, nothing stored, /healthz answers`, async () => {
      const id = randomUUID();
      const res = await deliver(nested(depth), id);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toContain(`more than ${MAX_NESTING} levels deep`);
      expect(await t.store.getDelivery(id)).toBeNull();
      expect((await app.inject("/healthz")).statusCode).toBe(200);
    }, 30_000);
  }

  it("a normal delivery is still stored, and brackets inside strings do not count", async () => {
    const id = randomUUID();
    const res = await deliver(
      `{"action":"opened","issue":{"title":"${"[{".repeat(500)}"},"repository":{"full_name":"fleetdm/fleet"}}`,
      id,
    );
    expect(res.statusCode).toBe(202);
    expect(await t.store.getDelivery(id)).not.toBeNull();
  });

  it("the limit is exact: 64 levels pass, 65 do not", () => {
    expect(nestingTooDeepAt("[".repeat(MAX_NESTING), MAX_NESTING)).toBe(-1);
    expect(nestingTooDeepAt("[".repeat(MAX_NESTING + 1), MAX_NESTING)).toBe(MAX_NESTING);
    expect(nestingTooDeepAt(`["\\"${"[".repeat(100)}"]`, MAX_NESTING)).toBe(-1);
  });
});
