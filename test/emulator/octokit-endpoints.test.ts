import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResponseContract } from "../../emulator/contract/validator.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { type Exchange, recordingOctokit } from "./helpers.js";

// Every endpoint the emulator serves, driven through unchanged @octokit/rest, and every
// response checked against GitHub's OpenAPI description (the committed subset).

let emu: RunningEmulator;
const log: Exchange[] = [];
const contract = new ResponseContract();
const repo = { owner: "fleetdm", repo: "fleet" };

beforeAll(async () => {
  emu = await startEmulator({ size: 150, seed: 3 });
});
afterAll(async () => emu?.close());

describe("Octokit against the emulator", () => {
  it("serves every listed endpoint with GitHub's shapes", async () => {
    const o = recordingOctokit(emu.url, log);
    await o.repos.get(repo);
    await o.paginate(o.repos.listForOrg, { org: "fleetdm", per_page: 1 });
    await o.paginate(o.apps.listReposAccessibleToInstallation, { per_page: 1 });
    const issues = await o.paginate(o.issues.listForRepo, { ...repo, state: "all", per_page: 100 });
    expect(issues.length).toBeGreaterThan(100);
    const created = await o.issues.create({
      ...repo,
      title: "Export fails",
      labels: ["bug", ":incoming"],
      assignees: ["getvictor"],
      milestone: 1,
    });
    const n = created.data.number;
    await o.issues.get({ ...repo, issue_number: n });
    await o.issues.update({
      ...repo,
      issue_number: n,
      title: "Export fails on Windows",
      state: "closed",
      state_reason: "not_planned",
    });
    await o.issues.update({ ...repo, issue_number: n, state: "open", milestone: null });
    await o.issues.addLabels({ ...repo, issue_number: n, labels: ["P1"] });
    await o.issues.removeLabel({ ...repo, issue_number: n, name: "P1" });
    await o.issues.setLabels({ ...repo, issue_number: n, labels: ["bug", ":reproduce"] });
    await o.issues.listLabelsOnIssue({ ...repo, issue_number: n });
    await o.issues.removeAllLabels({ ...repo, issue_number: n });
    await o.issues.addAssignees({ ...repo, issue_number: n, assignees: ["lucasmrod"] });
    await o.issues.removeAssignees({ ...repo, issue_number: n, assignees: ["getvictor"] });
    const comment = await o.issues.createComment({ ...repo, issue_number: n, body: "Reproduced." });
    await o.issues.getComment({ ...repo, comment_id: comment.data.id });
    await o.issues.updateComment({
      ...repo,
      comment_id: comment.data.id,
      body: "Reproduced twice.",
    });
    const extra = await o.issues.createComment({ ...repo, issue_number: n, body: "Oops." });
    await o.issues.deleteComment({ ...repo, comment_id: extra.data.id });
    await o.issues.listComments({ ...repo, issue_number: n });
    await o.paginate(o.issues.listCommentsForRepo, {
      ...repo,
      per_page: 100,
      since: "2000-01-01T00:00:00Z",
    });
    const events = await o.issues.listEvents({ ...repo, issue_number: n });
    expect(events.data.map((e) => e.event)).toEqual(
      expect.arrayContaining([
        "labeled",
        "unlabeled",
        "closed",
        "reopened",
        "renamed",
        "assigned",
        "unassigned",
        "milestoned",
        "demilestoned",
      ]),
    );
    await o.issues.listEventsForRepo({ ...repo, per_page: 100 });
    await o.issues.listEventsForTimeline({ ...repo, issue_number: n });

    // Labels and milestones.
    await o.paginate(o.issues.listLabelsForRepo, { ...repo, per_page: 100 });
    await o.issues.createLabel({
      ...repo,
      name: "customer-wonka",
      color: "ff0000",
      description: "Wonka Industries",
    });
    await o.issues.getLabel({ ...repo, name: "~released bug" });
    await o.issues.updateLabel({
      ...repo,
      name: "customer-wonka",
      new_name: "customer-wonka-inc",
      color: "00ff00",
    });
    await o.issues.deleteLabel({ ...repo, name: "customer-wonka-inc" });
    await o.issues.listMilestones({ ...repo, state: "all" });
    const ms = await o.issues.createMilestone({
      ...repo,
      title: "9.9.9",
      due_on: "2030-01-01T00:00:00Z",
    });
    await o.issues.getMilestone({ ...repo, milestone_number: ms.data.number });
    await o.issues.updateMilestone({ ...repo, milestone_number: ms.data.number, state: "closed" });

    // Git: refs, commits, contents, compare, tags, branches.
    const main = await o.git.getRef({ ...repo, ref: "heads/main" });
    await o.git.listMatchingRefs({ ...repo, ref: "heads/rc-minor" });
    await o.git.createRef({ ...repo, ref: "refs/heads/feature-x", sha: main.data.object.sha });
    const put = await o.repos.createOrUpdateFileContents({
      ...repo,
      path: "docs/x.md",
      message: "Add x",
      content: Buffer.from("hello\n").toString("base64"),
      branch: "feature-x",
    });
    await o.repos.getContent({ ...repo, path: "docs/x.md", ref: "feature-x" });
    await o.repos.getContent({ ...repo, path: "docs", ref: "feature-x" });
    await o.git.getCommit({ ...repo, commit_sha: put.data.commit.sha! });
    await o.repos.getCommit({ ...repo, ref: put.data.commit.sha! });
    await o.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...feature-x" });
    const pr = await o.pulls.create({ ...repo, title: "Add x", head: "feature-x", base: "main" });
    const p = pr.data.number;
    await o.pulls.get({ ...repo, pull_number: p });
    await o.pulls.update({ ...repo, pull_number: p, title: "Add x docs" });
    await o.pulls.listCommits({ ...repo, pull_number: p });
    await o.pulls.listFiles({ ...repo, pull_number: p });
    const changes = await o.pulls.createReview({
      ...repo,
      pull_number: p,
      event: "REQUEST_CHANGES",
      body: "Typo",
    });
    await o.pulls.dismissReview({
      ...repo,
      pull_number: p,
      review_id: changes.data.id,
      message: "Fixed",
    });
    await o.pulls.createReview({ ...repo, pull_number: p, event: "APPROVE" });
    await o.pulls.listReviews({ ...repo, pull_number: p });
    await o.paginate(o.pulls.list, { ...repo, state: "all", per_page: 100 });
    const merged = await o.pulls.merge({ ...repo, pull_number: p, merge_method: "squash" });
    await o.git.updateRef({ ...repo, ref: "heads/feature-x", sha: merged.data.sha!, force: true });
    await o.git.deleteRef({ ...repo, ref: "heads/feature-x" });
    await o.repos.listTags({ ...repo });
    await o.repos.listBranches({ ...repo, per_page: 100 });
    const tree = await o.git.getCommit({ ...repo, commit_sha: merged.data.sha! });
    await o.git.createCommit({
      ...repo,
      message: "Empty change",
      tree: tree.data.tree.sha,
      parents: [merged.data.sha!],
    });
    await o.git.createRef({ ...repo, ref: "refs/heads/side", sha: main.data.object.sha });
    await o.repos.merge({ ...repo, base: "side", head: "main" });

    // Releases, statuses, check runs, variables.
    await o.repos.listReleases({ ...repo });
    await o.repos.getLatestRelease({ ...repo });
    await o.repos.createRelease({ ...repo, tag_name: "fleet-v9.9.9", name: "9.9.9" });
    await o.repos.getReleaseByTag({ ...repo, tag: "fleet-v9.9.9" });
    await o.repos.createCommitStatus({
      ...repo,
      sha: merged.data.sha!,
      state: "success",
      context: "ci/test",
    });
    await o.repos.getCombinedStatusForRef({ ...repo, ref: "main" });
    const run = await o.checks.create({
      ...repo,
      name: "lint",
      head_sha: merged.data.sha!,
      status: "in_progress",
    });
    await o.checks.update({ ...repo, check_run_id: run.data.id, conclusion: "success" });
    await o.checks.listForRef({ ...repo, ref: "main" });
    await o.actions.createRepoVariable({ ...repo, name: "RELEASE_TRAIN", value: "on" });
    await o.actions.getRepoVariable({ ...repo, name: "RELEASE_TRAIN" });
    await o.actions.updateRepoVariable({ ...repo, name: "RELEASE_TRAIN", value: "off" });
    await o.actions.listRepoVariables({ ...repo });
    await o.actions.deleteRepoVariable({ ...repo, name: "RELEASE_TRAIN" });

    await o.users.getByUsername({ username: "getvictor" });
    await o.users.getAuthenticated();
    await o.rateLimit.get();

    // Organisation people (test/emulator/people.test.ts covers visibility and webhooks).
    await o.orgs.listMembers({ org: "fleetdm", per_page: 5 });
    await o.orgs.listPublicMembers({ org: "fleetdm" });
    await o.orgs.getMembershipForUser({ org: "fleetdm", username: "getvictor" });
    await o.teams.list({ org: "fleetdm" });
    await o.teams.listMembersInOrg({ org: "fleetdm", team_slug: "g-mdm" });

    // GitHub App endpoints (JWTs are not verified by the emulator).
    await o.apps.getAuthenticated();
    const [installation] = (await o.apps.listInstallations()).data;
    await o.apps.getRepoInstallation(repo);
    await o.apps.getOrgInstallation({ org: "fleetdm" });
    const token = await o.apps.createInstallationAccessToken({ installation_id: installation!.id });
    const asApp = recordingOctokit(emu.url, log, token.data.token);
    const byApp = await asApp.issues.createComment({
      ...repo,
      issue_number: n,
      body: "From the app",
    });
    expect(byApp.data.user?.login).toBe("bosun[bot]");
    expect(byApp.data.user?.type).toBe("Bot");

    // Deduplicated by shape (array indexes folded), so a failure lists each problem once.
    const problems = new Set(
      log.flatMap((x) =>
        contract
          .check(x.method, x.path, x.status, x.body)
          .map((p) => `${x.status}: ${p.replace(/\/\d+\//g, "/*/")}`),
      ),
    );
    expect([...problems]).toEqual([]);
    const served = new Set(log.map((x) => contract.match(x.method, x.path)?.operationId));
    expect(contract.operationIds().filter((id) => !served.has(id))).toEqual([]);
  });
});
