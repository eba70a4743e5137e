// People: the organisation's members and teams synced from the emulator into the store, kept
// current by organization/membership/member webhooks, and read by isCommunityContributor.
import type { AddressInfo } from "node:net";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addOrgMember, addTeamMember, removeOrgMember } from "../../emulator/domain/people.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { peopleOf } from "../../emulator/state/people.js";
import { syncPeople } from "../../src/github/people.js";
import { isCommunityContributor, peopleRefreshDue } from "../../src/rules/people.js";
import { peopleJob } from "../../src/runtime/people-job.js";
import { openStore, type Store } from "../../src/store/index.js";
import { recordingOctokit } from "../emulator/helpers.js";
import { emulatorClient } from "../support/github.js";
import {
  deliver,
  drained,
  examplesOf,
  expectProcessedWithoutError,
  processed,
  SECRET,
  startPipeline,
} from "../webhooks/helpers.js";
import { expectPeopleReflected, seedPeople } from "../webhooks/reflected-people.js";

const ORG = "fleetdm";
const REPOS = ["fleetdm/fleet", "fleetdm/confidential"];
let emu: RunningEmulator;
let store: Store;

beforeAll(async () => {
  emu = await startEmulator({ size: 40, seed: 11, webhookDelivery: { attempts: 1 } });
  store = await openStore({ inMemory: true });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await emu?.close();
});

const now = () => Temporal.Instant.fromEpochMilliseconds(emu.admin.clock.now());
const emulated = () => peopleOf(emu.admin.core.state, ORG);
const sorted = (list: string[]) => [...list].sort((a, b) => a.localeCompare(b));

/** The emulator's people in the store's shape: what a sync must leave in the store. */
function expectedView() {
  const p = emulated();
  return {
    members: sorted(p.members.map((m) => `${m.login}:${m.role}:${m.public}`)),
    teams: p.teams
      .map((t) => ({
        slug: t.slug,
        members: sorted(t.members.map((m) => `${m.login}:${m.role}`)),
      }))
      .sort((a, b) => a.slug.localeCompare(b.slug)),
  };
}

async function storedView() {
  const v = await store.orgPeople(ORG);
  return {
    members: sorted(v.members.map((m) => `${m.login}:${m.role}:${m.public}`)),
    teams: v.teams.map((t) => ({
      slug: t.slug,
      members: sorted(t.members.map((m) => `${m.login}:${m.role}`)),
    })),
  };
}

describe("syncing the organisation's people", () => {
  it("stores exactly the emulator's members (concealed ones too) and teams", async () => {
    const client = emulatorClient(emu.url);
    const at = now().toString();
    const report = await syncPeople(client, store, ORG, at);
    expect(await storedView()).toEqual(expectedView());
    expect(report.concealed).toBe(emulated().members.filter((m) => !m.public).length);
    expect(report.concealed).toBeGreaterThan(0);
    expect((await store.orgPeople(ORG)).syncedAt).toBe(at);
  });

  it("pages through more than 100 members", async () => {
    for (let i = 0; i < 130; i++)
      addOrgMember(emu.admin.core, ORG, `contractor-${i}`, { public: i % 2 === 0 });
    emu.admin.resetRequests();
    await syncPeople(emulatorClient(emu.url), store, ORG, now().toString());
    const stored = await store.orgPeople(ORG);
    expect(stored.members.length).toBe(emulated().members.length);
    expect(stored.members.length).toBeGreaterThan(140);
    expect(await storedView()).toEqual(expectedView());
    // Two listings (all members, admins) of two pages each at 100 a page, one of public ones.
    expect(emu.admin.requests().byEndpoint["GET /orgs/:org/members"]).toBe(3);
    expect(emu.admin.requests().byEndpoint["GET /orgs/:org/public_members"]).toBe(1);
    for (let i = 0; i < 130; i++) removeOrgMember(emu.admin.core, ORG, `contractor-${i}`);
  });

  it("leaves the previous view whole when GitHub fails part-way", async () => {
    await syncPeople(emulatorClient(emu.url), store, ORG, now().toString());
    const before = await storedView();
    addOrgMember(emu.admin.core, ORG, "late-joiner");
    emu.admin.addFault({ kind: "server-error", path: "GET /orgs/.+/teams/g-mdm/members" });
    try {
      await expect(
        syncPeople(emulatorClient(emu.url), store, ORG, now().toString()),
      ).rejects.toMatchObject({ status: 502 });
    } finally {
      emu.admin.clearFaults();
    }
    expect(await storedView()).toEqual(before);
    removeOrgMember(emu.admin.core, ORG, "late-joiner");
  });
});

describe("isCommunityContributor", () => {
  it("a concealed member, whom GitHub calls CONTRIBUTOR, is not a community contributor", async () => {
    await syncPeople(emulatorClient(emu.url), store, ORG, now().toString());
    const concealed = emulated().members.find((m) => !m.public)!;
    const o = recordingOctokit(emu.url, [], `emulator:${concealed.login}`);
    const issue = await o.issues.create({ owner: ORG, repo: "fleet", title: "Found a bug" });
    expect(issue.data.author_association).toBe("CONTRIBUTOR");
    const people = await store.orgPeople(ORG);
    expect(isCommunityContributor(concealed.login, { people, now: now() })).toBe(false);
    expect(isCommunityContributor(concealed.login.toUpperCase(), { people, now: now() })).toBe(
      false,
    );
  });

  it("an outside author is one; a bot never is, by login or by type", async () => {
    const people = await store.orgPeople(ORG);
    const at = { people, now: now() };
    expect(isCommunityContributor("zwass", at)).toBe(true);
    expect(isCommunityContributor("dependabot[bot]", at)).toBe(false);
    expect(isCommunityContributor({ login: "renovate", type: "Bot" }, at)).toBe(false);
  });

  it("is unknown when the member list was never synced or is stale", async () => {
    const never = { members: [], syncedAt: null };
    expect(isCommunityContributor("zwass", { people: never, now: now() })).toBe("unknown");
    const people = await store.orgPeople(ORG);
    const later = now().add({ hours: 49 });
    expect(isCommunityContributor("zwass", { people, now: later })).toBe("unknown");
    expect(isCommunityContributor("dependabot[bot]", { people, now: later })).toBe(false);
  });
});

describe("people webhooks", () => {
  it("member_added and member_removed from the emulator update the store, and ask for a new listing", async () => {
    await syncPeople(emulatorClient(emu.url), store, ORG, now().toString());
    const pipeline = await startPipeline(store, { repositories: REPOS });
    try {
      await pipeline.app.listen({ port: 0, host: "127.0.0.1" });
      const port = (pipeline.app.server.address() as AddressInfo).port;
      emu.admin.addWebhook(`http://127.0.0.1:${port}/webhooks/github`, SECRET, [
        "organization",
        "membership",
      ]);
      const core = emu.admin.core;
      addOrgMember(core, ORG, "new-hire");
      addTeamMember(core, ORG, "g-mdm", "new-hire");
      await emu.admin.idle();
      await drained(store);
      let view = await store.orgPeople(ORG);
      expect(view.members.find((m) => m.login === "new-hire")).toEqual({
        login: "new-hire",
        role: "member",
        public: null,
      });
      expect(view.teams.find((t) => t.slug === "g-mdm")!.members.map((m) => m.login)).toContain(
        "new-hire",
      );
      expect(peopleRefreshDue(view, now())).toBe(true);

      removeOrgMember(core, ORG, "getvictor");
      await emu.admin.idle();
      await drained(store);
      view = await store.orgPeople(ORG);
      expect(view.members.map((m) => m.login)).not.toContain("getvictor");
      for (const t of view.teams) expect(t.members.map((m) => m.login)).not.toContain("getvictor");
      expect(isCommunityContributor("getvictor", { people: view, now: now() })).toBe(true);

      // The listing the webhooks asked for agrees with what they applied.
      const ran = await peopleJob.run({
        store,
        config: { organisation: ORG } as never,
        now: now(),
        client: emulatorClient(emu.url),
      });
      expect(ran).toMatch(/^people of fleetdm: \d+ members \(\d+ concealed\), 3 teams$/);
      expect(await storedView()).toEqual(expectedView());
      expect(peopleRefreshDue(await store.orgPeople(ORG), now())).toBe(false);
    } finally {
      await pipeline.close();
    }
  });

  it("every published example of organization, membership and member is stored and reflected", async () => {
    const fresh = await openStore({ inMemory: true });
    const configured = ["Octocoders/.github", "Codertocat/Hello-World"];
    const pipeline = await startPipeline(fresh, { repositories: configured });
    try {
      let count = 0;
      for (const event of ["organization", "membership", "member"]) {
        for (const payload of examplesOf(event)) {
          await seedPeople(fresh, event, payload);
          const deliveryId = crypto.randomUUID();
          const r = await deliver(pipeline.app, {
            event,
            body: JSON.stringify(payload),
            deliveryId,
          });
          expect(r.statusCode, `${event}.${payload.action}: ${r.body}`).toBe(202);
          const row = await processed(fresh, deliveryId);
          expectProcessedWithoutError(row);
          expect(row.repository).toBe(event === "member" ? "Codertocat/Hello-World" : "Octocoders");
          await expectPeopleReflected(fresh, event, payload, `${event}.${payload.action}`);
          count++;
        }
      }
      expect(count).toBe(14);
    } finally {
      await pipeline.close();
      await fresh.close();
    }
  });

  it("an organisation delivery for an organisation not configured is skipped, not stored", async () => {
    const pipeline = await startPipeline(store, { repositories: REPOS });
    try {
      const payload = examplesOf("organization")[0]!;
      const r = await deliver(pipeline.app, {
        event: "organization",
        body: JSON.stringify(payload),
      });
      expect(r.statusCode).toBe(202);
      expect(r.json().skipped).toBe("organisation Octocoders is not configured in bosun.yml");
      expect(await store.getDelivery(r.json().deliveryId)).toBe(null);
    } finally {
      await pipeline.close();
    }
  });
});

describe("the daily people job", () => {
  it("reads GitHub when the list is a day old, and not before", async () => {
    await syncPeople(emulatorClient(emu.url), store, ORG, now().toString());
    const ctx = { store, config: { organisation: ORG } as never, client: emulatorClient(emu.url) };
    expect(await peopleJob.run({ ...ctx, now: now().add({ hours: 23 }) })).toBe(undefined);
    expect(await peopleJob.run({ ...ctx, now: now().add({ hours: 24 }) })).toMatch(/^people of/);
    expect(await peopleJob.run({ ...ctx, client: undefined, now: now().add({ hours: 72 }) })).toBe(
      undefined,
    );
  });
});
