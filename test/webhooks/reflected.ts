// What each example delivery must leave in the store: concrete rows per event and action.
import { expect } from "vitest";
import type { Store } from "../../src/store/index.js";
import type { Payload } from "./helpers.js";
import { expectPeopleReflected, seedPeople } from "./reflected-people.js";

/** Puts rows in place that a delivery is expected to remove, so the removal is visible. */
export async function seedFor(store: Store, repo: string, event: string, p: Payload) {
  await seedPeople(store, event, p);
  if (event === "delete" && p.ref_type === "tag") {
    await store.upsertTag({ repo, name: p.ref, sha: "a".repeat(40) });
  }
  if (event === "delete" && p.ref_type === "branch") {
    await store.upsertRef({ repo, name: p.ref, sha: "a".repeat(40) });
  }
  if (event === "push" && (p.deleted || /^0+$/.test(p.after))) {
    const name = String(p.ref).replace(/^refs\/(heads|tags)\//, "");
    if (String(p.ref).startsWith("refs/tags/"))
      await store.upsertTag({ repo, name, sha: p.before });
    else await store.upsertRef({ repo, name, sha: p.before });
  }
  if (event === "label" && p.action === "deleted") {
    await store.upsertLabel({ repo, name: p.label.name });
  }
  if (event === "milestone" && p.action === "deleted") {
    await store.upsertMilestone({
      repo,
      number: p.milestone.number,
      title: p.milestone.title,
      state: "open",
    });
  }
  if (event === "issue_comment" && p.action === "deleted") {
    await store.upsertComment({
      id: p.comment.id,
      repo,
      issueNumber: p.issue.number,
      body: "to be deleted",
      createdAt: "2000-01-01T00:00:00Z",
      updatedAt: "2000-01-01T00:00:00Z",
    });
  }
  if (event === "issues" && (p.action === "deleted" || p.action === "transferred")) {
    await store.upsertIssue({
      repo,
      number: p.issue.number,
      isPullRequest: false,
      title: "to be removed",
      state: "open",
      createdAt: "2000-01-01T00:00:00Z",
      updatedAt: "2000-01-01T00:00:00Z",
    });
  }
}

export async function expectReflected(
  store: Store,
  repo: string,
  event: string,
  p: Payload,
  resolve: (fullName: string) => string | null,
) {
  const what = `${event}.${p.action ?? ""} in ${repo}`;
  switch (event) {
    case "issues": {
      const number = p.issue.number;
      if (p.action === "deleted") {
        expect(await store.getIssue(repo, number), what).toBeNull();
        return;
      }
      if (p.action === "transferred") {
        expect(await store.getIssue(repo, number), what).toBeNull();
        const to = resolve(p.changes.new_repository.full_name);
        if (to) {
          const moved = await store.getIssue(to, p.changes.new_issue.number);
          expect(moved, what).toMatchObject({ title: p.changes.new_issue.title });
        }
        return;
      }
      const issue = await store.getIssue(repo, number);
      expect(issue, what).toMatchObject({
        isPullRequest: p.issue.pull_request !== undefined,
        title: p.issue.title,
        // issues.pinned and unpinned examples lack state; it follows from closed_at.
        state: p.issue.state ?? (p.issue.closed_at ? "closed" : "open"),
        updatedAt: new Date(p.issue.updated_at).toISOString(),
      });
      if (p.action === "labeled") expect(issue!.labels, what).toContain(p.label.name);
      if (p.action === "unlabeled") expect(issue!.labels, what).not.toContain(p.label.name);
      if (p.action === "milestoned") {
        expect(issue!.milestoneNumber, what).toBe(p.issue.milestone.number);
      }
      if (p.action === "demilestoned") expect(issue!.milestoneNumber, what).toBeNull();
      if (p.action === "assigned") expect(issue!.assignees, what).toContain(p.assignee.login);
      if (p.action === "unassigned") expect(issue!.assignees, what).not.toContain(p.assignee.login);
      if (p.action === "locked") expect(issue!.locked, what).toBe(true);
      if (p.action === "unlocked") expect(issue!.locked, what).toBe(false);
      return;
    }
    case "issue_comment": {
      const comments = await store.listComments(repo, p.issue.number);
      const comment = comments.find((c) => c.id === p.comment.id);
      if (p.action === "deleted") expect(comment, what).toBeUndefined();
      else
        expect(comment, what).toMatchObject({ body: p.comment.body, author: p.comment.user.login });
      expect(await store.getIssue(repo, p.issue.number), what).toMatchObject({
        title: p.issue.title,
      });
      return;
    }
    case "pull_request": {
      const pr = p.pull_request;
      const row = await store.getIssue(repo, pr.number);
      expect(row, what).toMatchObject({
        isPullRequest: true,
        title: pr.title,
        state: pr.state,
        draft: pr.draft ?? false,
        headRef: pr.head.ref,
        headSha: pr.head.sha,
        baseRef: pr.base.ref,
        mergedAt: pr.merged_at ? new Date(pr.merged_at).toISOString() : null,
      });
      if (p.action === "labeled") expect(row!.labels, what).toContain(p.label.name);
      if (p.action === "unlabeled") expect(row!.labels, what).not.toContain(p.label.name);
      return;
    }
    case "pull_request_review": {
      const reviews = await store.listReviews(repo, p.pull_request.number);
      expect(
        reviews.find((r) => r.id === p.review.id),
        what,
      ).toMatchObject({ state: String(p.review.state).toUpperCase(), author: p.review.user.login });
      return;
    }
    case "label": {
      const names = (await store.listLabels(repo)).map((l) => l.name);
      if (p.action === "deleted") expect(names, what).not.toContain(p.label.name);
      else expect(names, what).toContain(p.label.name);
      return;
    }
    case "milestone": {
      const row = await store.getMilestone(repo, p.milestone.number);
      if (p.action === "deleted") expect(row, what).toBeNull();
      else expect(row, what).toMatchObject({ title: p.milestone.title, state: p.milestone.state });
      return;
    }
    case "push": {
      const ref = String(p.ref);
      const deleted = p.deleted || /^0+$/.test(p.after);
      if (ref.startsWith("refs/heads/")) {
        const row = await store.getRef(repo, ref.slice("refs/heads/".length));
        if (deleted) expect(row, what).toBeNull();
        else expect(row, what).toMatchObject({ sha: p.after });
      } else {
        const tag = (await store.listTags(repo)).find(
          (t) => t.name === ref.slice("refs/tags/".length),
        );
        if (deleted) expect(tag, what).toBeUndefined();
        else expect(tag, what).toMatchObject({ sha: p.after });
      }
      return;
    }
    case "create": {
      if (p.ref_type === "tag") {
        expect(
          (await store.listTags(repo)).map((t) => t.name),
          what,
        ).toContain(p.ref);
      } else {
        expect(await store.getRef(repo, p.ref), what).not.toBeNull();
      }
      return;
    }
    case "delete": {
      if (p.ref_type === "tag") {
        expect(
          (await store.listTags(repo)).map((t) => t.name),
          what,
        ).not.toContain(p.ref);
      } else {
        expect(await store.getRef(repo, p.ref), what).toBeNull();
      }
      return;
    }
    case "release": {
      const names = (await store.listTags(repo)).map((t) => t.name);
      if (p.action === "deleted" || p.release.draft) expect(names, what).toEqual([]);
      else expect(names, what).toContain(p.release.tag_name);
      return;
    }
    case "status": {
      const rows = await store.listCommitStatuses(repo, p.sha);
      expect(rows, what).toEqual([
        expect.objectContaining({ kind: "status", context: p.context, state: p.state }),
      ]);
      return;
    }
    case "check_run": {
      const run = p.check_run;
      const rows = await store.listCommitStatuses(repo, run.head_sha);
      expect(rows, what).toEqual([
        expect.objectContaining({
          kind: "check_run",
          context: run.name,
          state: run.status,
          conclusion: run.conclusion ?? null,
        }),
      ]);
      return;
    }
    case "organization":
    case "membership":
    case "member":
      return expectPeopleReflected(store, event, p, what);
    default:
      throw new Error(`no expectation for event ${event}`);
  }
}
