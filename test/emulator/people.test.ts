// The emulator's organisation people: members (public and concealed) and teams through
// unchanged @octokit/rest, every answer checked against GitHub's OpenAPI description, and the
// webhooks a membership change sends checked against @octokit/webhooks-schemas.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResponseContract, WebhookContract } from "../../emulator/contract/validator.js";
import {
  addOrgMember,
  addTeamMember,
  removeOrgMember,
  setMembershipPublic,
} from "../../emulator/domain/people.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { peopleOf } from "../../emulator/state/people.js";
import { type Exchange, quiet, recordingOctokit } from "./helpers.js";

const ORG = "fleetdm";
let emu: RunningEmulator;
let hookServer: Server;
const received: { event: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  hookServer = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ event: String(req.headers["x-github-event"]), payload: JSON.parse(body) });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  const port = (hookServer.address() as AddressInfo).port;
  emu = await startEmulator({
    size: 60,
    seed: 4,
    webhooks: [{ url: `http://127.0.0.1:${port}/`, secret: "s" }],
    webhookDelivery: { attempts: 1 },
  });
}, 60_000);
afterAll(async () => {
  await emu?.close();
  await new Promise((resolve) => hookServer?.close(resolve));
});

const people = () => peopleOf(emu.admin.core.state, ORG);
const logins = (list: { login: string }[]) => list.map((u) => u.login).sort();

describe("organisation people in the emulator", () => {
  it("generates members, some concealed, and a team per product group; community authors stay outside", () => {
    const p = people();
    expect(p.members.length).toBeGreaterThanOrEqual(12);
    expect(p.members.some((m) => !m.public)).toBe(true);
    expect(p.members.some((m) => m.public)).toBe(true);
    expect(p.members.filter((m) => m.role === "admin").map((m) => m.login)).toEqual(["sharon-fdm"]);
    expect(p.teams.map((t) => t.slug)).toEqual(["g-endpoint-ops", "g-mdm", "engineering"]);
    expect(p.members.map((m) => m.login)).not.toContain("zwass");
  });

  it("serves members, public members, memberships and teams in GitHub's shapes", async () => {
    const log: Exchange[] = [];
    const o = recordingOctokit(emu.url, log, "bosun-token");
    const all = await o.paginate(o.orgs.listMembers, { org: ORG, per_page: 5 });
    await o.orgs.listMembers({ org: ORG, role: "admin" });
    await o.orgs.listMembers({ org: ORG, filter: "2fa_disabled" });
    const pub = await o.paginate(o.orgs.listPublicMembers, { org: ORG, per_page: 100 });
    const concealed = people().members.find((m) => !m.public)!;
    const membership = await o.orgs.getMembershipForUser({ org: ORG, username: concealed.login });
    const teams = await o.paginate(o.teams.list, { org: ORG, per_page: 100 });
    await o.teams.listMembersInOrg({ org: ORG, team_slug: "g-mdm", role: "maintainer" });
    const mdm = await o.paginate(o.teams.listMembersInOrg, { org: ORG, team_slug: "g-mdm" });
    const contract = new ResponseContract();
    const problems = log.flatMap((e) =>
      contract
        .check(e.method, e.path, e.status, e.body)
        .map((p) => `${e.method} ${e.path}: ${JSON.stringify(p)}`),
    );
    expect(problems).toEqual([]);
    expect(logins(all)).toEqual(logins(people().members));
    expect(logins(pub)).toEqual(logins(people().members.filter((m) => m.public)));
    expect(membership.data).toMatchObject({ state: "active", role: "member" });
    expect(teams.map((t) => t.slug)).toEqual(["g-endpoint-ops", "g-mdm", "engineering"]);
    expect(mdm.map((m) => [m.login, (m as { role?: string }).role])).toContainEqual([
      "georgekarrv",
      "maintainer",
    ]);
  });

  it("shows concealed members only to the organisation's own: a stranger's token and no token see the public ones", async () => {
    const publicOnes = logins(people().members.filter((m) => m.public));
    const stranger = recordingOctokit(emu.url, [], "emulator:zwass");
    const anonymous = new Octokit({ baseUrl: emu.url, log: quiet });
    const insider = recordingOctokit(emu.url, [], "emulator:getvictor");
    expect(logins((await stranger.orgs.listMembers({ org: ORG, per_page: 100 })).data)).toEqual(
      publicOnes,
    );
    expect(logins((await anonymous.orgs.listMembers({ org: ORG, per_page: 100 })).data)).toEqual(
      publicOnes,
    );
    expect((await insider.orgs.listMembers({ org: ORG, per_page: 100 })).data.length).toBe(
      people().members.length,
    );
    const concealed = people().members.find((m) => !m.public)!;
    await expect(
      stranger.orgs.getMembershipForUser({ org: ORG, username: concealed.login }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a role or filter GitHub does not know, and an unknown organisation or team", async () => {
    const o = recordingOctokit(emu.url, [], "bosun-token");
    await expect(
      // Octokit's types know the allowed roles; GitHub is asked anyway.
      o.request("GET /orgs/{org}/members", { org: ORG, role: "owner" as "admin" }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(o.orgs.listMembers({ org: "no-such-org" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      o.teams.listMembersInOrg({ org: ORG, team_slug: "no-such-team" }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("reports a concealed member's issue as CONTRIBUTOR and a public member's as MEMBER, as GitHub does", async () => {
    const concealed = people().members.find((m) => !m.public)!;
    const visible = people().members.find((m) => m.public)!;
    const repo = { owner: ORG, repo: "fleet" };
    const asConcealed = recordingOctokit(emu.url, [], `emulator:${concealed.login}`);
    const asVisible = recordingOctokit(emu.url, [], `emulator:${visible.login}`);
    const a = await asConcealed.issues.create({ ...repo, title: "From a concealed member" });
    const b = await asVisible.issues.create({ ...repo, title: "From a public member" });
    expect(a.data.author_association).toBe("CONTRIBUTOR");
    expect(b.data.author_association).toBe("MEMBER");
    setMembershipPublic(emu.admin.core, ORG, concealed.login, true);
    const again = await asConcealed.issues.get({ ...repo, issue_number: a.data.number });
    expect(again.data.author_association).toBe("MEMBER");
    setMembershipPublic(emu.admin.core, ORG, concealed.login, false);
  });

  it("sends organization.member_added/member_removed and membership.added/removed in GitHub's webhook shapes", async () => {
    received.length = 0;
    const core = emu.admin.core;
    addOrgMember(core, ORG, "new-hire");
    addTeamMember(core, ORG, "g-mdm", "new-hire");
    removeOrgMember(core, ORG, "new-hire");
    await emu.admin.idle();
    expect(received.map((r) => `${r.event}.${r.payload.action}`)).toEqual([
      "organization.member_added",
      "membership.added",
      "membership.removed",
      "organization.member_removed",
    ]);
    const contract = new WebhookContract();
    expect(received.flatMap((r) => contract.check(r.event, r.payload))).toEqual([]);
    expect(people().members.map((m) => m.login)).not.toContain("new-hire");
    expect(
      people()
        .teams.find((t) => t.slug === "g-mdm")!
        .members.map((m) => m.login),
    ).not.toContain("new-hire");
  });

  it("changes people through the admin routes, refusing a member twice with a message", async () => {
    const post = (body: unknown) =>
      fetch(`${emu.url}/_emulator/orgs/${ORG}/members`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post({ login: "contractor-1", public: true })).status).toBe(201);
    const twice = await post({ login: "contractor-1" });
    expect(twice.status).toBe(422);
    expect(((await twice.json()) as { message: string }).message).toBe(
      "contractor-1 is already a member of fleetdm",
    );
    expect((await post({ login: "x", role: "owner" })).status).toBe(422);
    const put = await fetch(`${emu.url}/_emulator/orgs/${ORG}/teams/g-mdm/members/contractor-1`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role: "maintainer" }),
    });
    expect(put.status).toBe(201);
    const del = await fetch(`${emu.url}/_emulator/orgs/${ORG}/members/contractor-1`, {
      method: "DELETE",
    });
    expect(del.status).toBe(204);
    expect(people().members.map((m) => m.login)).not.toContain("contractor-1");
  });

  it("keeps people across a restart from the same data directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bosun-people-"));
    try {
      const first = await startEmulator({ size: 10, seed: 2, dataDir: dir });
      addOrgMember(first.admin.core, ORG, "survivor", { public: true });
      await first.close();
      const second = await startEmulator({ size: 10, seed: 2, dataDir: dir });
      try {
        const p = peopleOf(second.admin.core.state, ORG);
        expect(p.members.find((m) => m.login === "survivor")).toEqual({
          login: "survivor",
          role: "member",
          public: true,
        });
        expect(p.teams.map((t) => t.slug)).toEqual(["g-endpoint-ops", "g-mdm", "engineering"]);
        expect(second.admin.core.render.memberLogins?.has("survivor")).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
