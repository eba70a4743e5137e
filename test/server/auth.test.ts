// Who may use the HTTP API (src/server/auth.ts): every write route needs BOSUN_API_TOKEN and a
// refused write changes nothing; reads and the dashboard need it only beyond loopback; the
// probes and the webhook stay open; the CLI's client sends the token.

import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalData } from "../../src/api/local.js";
import { RemoteData } from "../../src/cli/remote.js";
import type { Effect } from "../../src/effects/effects.js";
import { isBosunError } from "../../src/errors.js";
import { repositoryMatcher } from "../../src/github/webhooks/index.js";
import type { Runbook } from "../../src/handbook/runbook-model.js";
import { summarizeConfig } from "../../src/handbook/summary.js";
import { describeRules } from "../../src/rules/index.js";
import { buildServer } from "../../src/server/app.js";
import { type ApiAuth, accessOf, apiAuthFor, isLoopbackHost } from "../../src/server/auth.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";

const TOKEN = "test-token-0123456789abcdef";
const NOW = Temporal.Instant.from("2026-11-24T18:00:00Z");
const RUNBOOK: Runbook = {
  anchor: "edit-a-dns-record",
  aliases: [],
  title: "Edit a DNS record",
  source: "engineering.md",
  kind: "numbered",
  intro: "",
  steps: [{ text: "Log in to the DNS provider", notes: [], children: [] }],
};

type App = Awaited<ReturnType<typeof buildServer>>;

let store: Store;
let data: LocalData;
const applied: Effect[] = [];
const apps: App[] = [];

async function server(auth: ApiAuth): Promise<App> {
  const config = await exampleConfig();
  const app = await buildServer({
    data,
    summary: () => summarizeConfig(config, NOW),
    rules: describeRules(),
    auth,
    webhooks: {
      secret: "webhook-secret",
      repositories: repositoryMatcher(["fleetdm/fleet"]),
      store,
    },
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  const config = await exampleConfig();
  store = await openStore({ inMemory: true });
  data = new LocalData(store, config, "memory", () => NOW);
  // Stands in for GitHub: what `open` would have filed, as the executor hands it over.
  data.applier = {
    apply: async (effect) => {
      applied.push(effect);
      return { number: applied.length };
    },
  };
  await data.importRunbooks([RUNBOOK]);
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await store?.close();
});

/** What each write route changes, read from the store and the stand-in for GitHub. */
async function state() {
  return {
    runbooks: (await store.listRunbooks()).map((r) => (r.runbook as Runbook).title),
    deploys: (await store.listDeploys("dogfood")).length,
    applied: applied.length,
    audit: (await data.audit({ limit: 1000 })).length,
  };
}

const WRITES: { route: string; url: string; payload: object; ok: number }[] = [
  {
    route: "POST /api/runbooks",
    url: "/api/runbooks",
    payload: { runbooks: [{ ...RUNBOOK, title: "Phished DNS record" }] },
    ok: 200,
  },
  {
    route: "POST /api/runbooks/:anchor/open",
    url: "/api/runbooks/edit-a-dns-record/open",
    payload: { repo: "confidential", assignee: "@eashaw", labels: ["urgent"] },
    ok: 200,
  },
  {
    route: "POST /api/deploy/record",
    url: "/api/deploy/record",
    payload: { environment: "dogfood", image: "fleetdm/fleet:v4.62.0", by: "stranger" },
    ok: 201,
  },
];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("write routes need BOSUN_API_TOKEN", () => {
  let app: App;
  beforeAll(async () => {
    app = await server(
      apiAuthFor({ host: "127.0.0.1", env: { BOSUN_API_TOKEN: TOKEN }, mode: "serve" }),
    );
  });

  for (const write of WRITES) {
    it(`${write.route}: without the token 401 and nothing changes`, async () => {
      const before = await state();
      const res = await app.inject({ method: "POST", url: write.url, payload: write.payload });
      expect(res.statusCode).toBe(401);
      expect(res.headers["www-authenticate"]).toBe('Bearer realm="Bosun"');
      expect(res.json().error).toContain("needs the API token: send Authorization: Bearer");
      expect(await state()).toEqual(before);
    });

    it(`${write.route}: with a wrong token 401 and nothing changes`, async () => {
      const before = await state();
      for (const headers of [
        bearer(`${TOKEN}x`),
        bearer(TOKEN.slice(0, -1)),
        bearer("x"),
        { authorization: TOKEN },
        { authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString("base64")}` },
      ]) {
        const res = await app.inject({
          method: "POST",
          url: write.url,
          payload: write.payload,
          headers,
        });
        expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      }
      expect(await state()).toEqual(before);
    });

    it(`${write.route}: with the token it works`, async () => {
      const before = await state();
      const res = await app.inject({
        method: "POST",
        url: write.url,
        payload: write.payload,
        headers: bearer(TOKEN),
      });
      expect(res.statusCode, res.body).toBe(write.ok);
      expect(await state()).not.toEqual(before);
    });
  }

  it("with no token configured, writes are refused (403) with how to set one, and nothing changes", async () => {
    const closed = await server(apiAuthFor({ host: "127.0.0.1", env: {}, mode: "serve" }));
    const before = await state();
    for (const write of WRITES) {
      const res = await closed.inject({
        method: "POST",
        url: write.url,
        payload: write.payload,
        headers: bearer(TOKEN),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: "refused" });
      expect(res.json().error).toContain("Set BOSUN_API_TOKEN on the server");
    }
    expect(await state()).toEqual(before);
    // Reads on loopback stay open.
    expect((await closed.inject("/api/runbooks")).statusCode).toBe(200);
  });

  it("the deploy check is a read: open on loopback, though it is a POST", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/deploy/check",
      payload: { environment: "dogfood", image: "fleetdm/fleet:v4.62.0" },
    });
    expect(res.statusCode).toBe(200);
  });
});

const READS = [
  "/",
  "/api/status",
  "/api/config",
  "/api/rules",
  "/api/audit",
  "/api/plan",
  "/api/runbooks",
  "/api/runbooks/edit-a-dns-record",
  "/api/rituals",
  "/api/notifications",
  "/api/calendar",
  "/api/release-train",
  "/calendar.ics",
  "/rituals.ics",
  "/metrics",
];

describe("reads and the dashboard", () => {
  let loopback: App;
  let beyond: App;
  beforeAll(async () => {
    loopback = await server(
      apiAuthFor({ host: "localhost", env: { BOSUN_API_TOKEN: TOKEN }, mode: "serve" }),
    );
    beyond = await server(
      apiAuthFor({ host: "0.0.0.0", env: { BOSUN_API_TOKEN: TOKEN }, mode: "serve" }),
    );
  });

  it("on loopback they answer without the token", async () => {
    for (const url of READS) {
      const res = await loopback.inject(url);
      expect(res.statusCode, url).not.toBe(401);
      expect(res.statusCode, url).toBeLessThan(500);
    }
  });

  it("beyond loopback they need the token: 401 without or with a wrong one, answered with it", async () => {
    for (const url of READS) {
      const without = await beyond.inject(url);
      expect(without.statusCode, url).toBe(401);
      expect(without.body, url).not.toContain("Edit a DNS record");
      expect(
        (await beyond.inject({ url, headers: bearer("wrong-token-0123456789") })).statusCode,
      ).toBe(401);
      const withToken = await beyond.inject({ url, headers: bearer(TOKEN) });
      expect(withToken.statusCode, url).toBe((await loopback.inject(url)).statusCode);
    }
  });

  it("a browser gives the token as a Basic password: the dashboard asks for it", async () => {
    const ask = await beyond.inject("/");
    expect(ask.headers["www-authenticate"]).toContain("Basic");
    const basic = Buffer.from(`anyone:${TOKEN}`).toString("base64");
    const page = await beyond.inject({ url: "/", headers: { authorization: `Basic ${basic}` } });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
  });

  it("beyond loopback with no token configured, reads are refused (403) saying to set BOSUN_API_TOKEN", async () => {
    const open = await server(apiAuthFor({ host: "10.0.0.5", env: {}, mode: "serve" }));
    const res = await open.inject("/api/status");
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toContain("set BOSUN_API_TOKEN");
  });

  it("the probes and the webhook stay open beyond loopback (the webhook checks its own signature)", async () => {
    expect((await beyond.inject("/healthz")).statusCode).toBe(200);
    expect((await beyond.inject("/readyz")).statusCode).not.toBe(401);
    const hook = await beyond.inject({
      method: "POST",
      url: "/webhooks/github",
      headers: { "x-github-event": "ping", "x-github-delivery": "d-1" },
      payload: "{}",
    });
    expect(hook.statusCode).toBe(401);
    expect(hook.json().error).toContain("X-Hub-Signature-256");
  });
});

describe("preview", () => {
  it("on loopback without a token, reads and writes are open (they reach only the emulator)", async () => {
    const preview = await server(apiAuthFor({ host: "127.0.0.1", env: {}, mode: "preview" }));
    const res = await preview.inject({
      method: "POST",
      url: "/api/deploy/record",
      payload: { environment: "dogfood", image: "fleetdm/fleet:v4.62.0" },
    });
    expect(res.statusCode).toBe(201);
    expect((await preview.inject("/api/status")).statusCode).toBe(200);
  });

  it("with a token, or beyond loopback, writes need the token; reads stay open", async () => {
    for (const auth of [
      apiAuthFor({ host: "127.0.0.1", env: { BOSUN_API_TOKEN: TOKEN }, mode: "preview" }),
      apiAuthFor({ host: "0.0.0.0", env: {}, mode: "preview" }),
    ]) {
      const preview = await server(auth);
      const res = await preview.inject({
        method: "POST",
        url: "/api/deploy/record",
        payload: { environment: "dogfood", image: "fleetdm/fleet:v4.62.0" },
      });
      expect([401, 403]).toContain(res.statusCode);
      expect((await preview.inject("/api/status")).statusCode).toBe(200);
    }
  });
});

describe("the CLI's client (RemoteData) sends BOSUN_API_TOKEN", () => {
  let url: string;
  beforeAll(async () => {
    const app = await server(
      apiAuthFor({ host: "0.0.0.0", env: { BOSUN_API_TOKEN: TOKEN }, mode: "serve" }),
    );
    url = await app.listen({ port: 0, host: "127.0.0.1" });
  });

  it("with the token it reads and writes", async () => {
    const remote = new RemoteData(url, TOKEN);
    expect((await remote.runbooks()).length).toBeGreaterThan(0);
    const row = await remote.deployRecord({
      environment: "dogfood",
      image: "fleetdm/fleet:v4.62.0",
    });
    expect(row).toMatchObject({ environment: "dogfood" });
  });

  it("without it the server's refusal arrives as a BosunError saying what to set", async () => {
    const before = await state();
    let error: unknown;
    try {
      await new RemoteData(url, undefined).importRunbooks([RUNBOOK]);
    } catch (err) {
      error = err;
    }
    expect(isBosunError(error, "refused")).toBe(true);
    expect((error as Error).message).toContain("BOSUN_API_TOKEN");
    expect(await state()).toEqual(before);
  });
});

describe("the policy", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["[::1]", true],
    ["localhost", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.5", false],
    ["bosun.example.com", false],
  ])("%s is loopback: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it("which routes are writes: every POST but the webhook and the deploy check", () => {
    expect(accessOf("POST", "/api/runbooks")).toBe("write");
    expect(accessOf("POST", "/api/some-future-route")).toBe("write");
    expect(accessOf("DELETE", "/api/runbooks/x")).toBe("write");
    expect(accessOf("POST", "/api/deploy/check")).toBe("read");
    expect(accessOf("GET", "/api/status")).toBe("read");
    expect(accessOf("POST", "/webhooks/github")).toBe("open");
    expect(accessOf("GET", "/healthz")).toBe("open");
  });

  it("a token shorter than 16 characters is refused at start, saying how to make one", () => {
    let error: unknown;
    try {
      apiAuthFor({ host: "127.0.0.1", env: { BOSUN_API_TOKEN: "short" }, mode: "serve" });
    } catch (err) {
      error = err;
    }
    expect(isBosunError(error, "bad-input")).toBe(true);
    expect((error as Error).message).toContain("BOSUN_API_TOKEN must be at least 16 characters");
  });
});
