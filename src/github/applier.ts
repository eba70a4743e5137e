import type { Effect, NotifyEffect } from "../effects/effects.js";
import type { ApplyContext, EffectApplier } from "../effects/executor.js";
import type { GitHubClient } from "./client.js";
import { applyMoveToColumn } from "./projects.js";

function split(repo: string) {
  const [owner, name] = repo.split("/");
  if (!owner || !name) throw new Error(`not a repository full name: ${JSON.stringify(repo)}`);
  return { owner, repo: name };
}

/**
 * Applies effects on GitHub through the adapter. Each call is one write; pacing, retries and
 * rate limits are the client's, idempotency is the executor's. Returns what the audit log keeps.
 */
export class GitHubApplier implements EffectApplier {
  constructor(
    private readonly client: GitHubClient,
    /** Where `notify` effects go (src/notify/); without one they fail as not delivered. */
    private readonly notifier?: (effect: NotifyEffect) => Promise<unknown>,
  ) {}

  async apply(effect: Effect, context: ApplyContext = {}): Promise<unknown> {
    const gh = this.client.rest;
    // The executor's claim signal reaches every request, and every retry the client makes
    // after a rate-limit wait: a write whose claim was taken over is never sent again.
    const r = context.signal ? { request: { signal: context.signal } } : {};
    switch (effect.type) {
      case "createLabel": {
        try {
          const { data } = await gh.issues.createLabel({
            ...split(effect.repo),
            ...r,
            name: effect.name,
            color: effect.color,
            description: effect.description,
          });
          return { id: data.id, url: data.url };
        } catch (err) {
          // Someone created it since our last sync: the wanted state holds, which is success.
          if (isAlreadyExists(err)) return { alreadyExisted: true };
          throw err;
        }
      }
      case "createIssue": {
        const { data } = await gh.issues.create({
          ...split(effect.repo),
          ...r,
          title: effect.title,
          body: effect.body,
          labels: effect.labels,
          assignees: effect.assignees,
          milestone: effect.milestone,
        });
        return { number: data.number, url: data.html_url };
      }
      case "addLabels": {
        await gh.issues.addLabels({
          ...split(effect.repo),
          ...r,
          issue_number: effect.number,
          labels: effect.labels,
        });
        return { added: effect.labels };
      }
      case "removeLabel": {
        try {
          await gh.issues.removeLabel({
            ...split(effect.repo),
            ...r,
            issue_number: effect.number,
            name: effect.label,
          });
        } catch (err) {
          if ((err as { status?: number }).status === 404) return { alreadyAbsent: true };
          throw err;
        }
        return { removed: effect.label };
      }
      case "comment": {
        const { data } = await gh.issues.createComment({
          ...split(effect.repo),
          ...r,
          issue_number: effect.number,
          body: effect.body,
        });
        return { id: data.id, url: data.html_url };
      }
      case "closeIssue": {
        await gh.issues.update({
          ...split(effect.repo),
          ...r,
          issue_number: effect.number,
          state: "closed",
          state_reason: effect.reason,
        });
        return { closed: effect.number };
      }
      case "assign": {
        await gh.issues.addAssignees({
          ...split(effect.repo),
          ...r,
          issue_number: effect.number,
          assignees: effect.assignees,
        });
        return { assigned: effect.assignees };
      }
      case "setMilestone": {
        await gh.issues.update({
          ...split(effect.repo),
          ...r,
          issue_number: effect.number,
          milestone: effect.milestone,
        });
        return { milestone: effect.milestone };
      }
      case "setCommitStatus": {
        const { data } = await gh.repos.createCommitStatus({
          ...split(effect.repo),
          ...r,
          sha: effect.sha,
          context: effect.context,
          state: effect.state,
          description: effect.description.slice(0, 140),
          target_url: effect.targetUrl,
        });
        return { id: data.id, updatedAt: data.updated_at };
      }
      case "createRef": {
        const ref = effect.ref.startsWith("refs/") ? effect.ref : `refs/heads/${effect.ref}`;
        try {
          await gh.git.createRef({ ...split(effect.repo), ...r, ref, sha: effect.sha });
        } catch (err) {
          if (isAlreadyExists(err)) return { alreadyExisted: ref };
          throw err;
        }
        return { created: ref };
      }
      case "renameMilestone": {
        await gh.issues.updateMilestone({
          ...split(effect.repo),
          ...r,
          milestone_number: effect.number,
          title: effect.title,
        });
        return { renamed: effect.title };
      }
      case "closeMilestone": {
        await gh.issues.updateMilestone({
          ...split(effect.repo),
          ...r,
          milestone_number: effect.number,
          state: "closed",
        });
        return { closed: effect.number };
      }
      case "createMilestone": {
        const { data } = await gh.issues.createMilestone({
          ...split(effect.repo),
          ...r,
          title: effect.title,
          due_on: effect.dueOn,
        });
        return { number: data.number };
      }
      case "setVariable": {
        const where = { ...split(effect.repo), ...r, name: effect.name, value: effect.value };
        try {
          await gh.actions.updateRepoVariable(where);
          return { updated: effect.name };
        } catch (err) {
          if ((err as { status?: number }).status !== 404) throw err;
          await gh.actions.createRepoVariable(where);
          return { created: effect.name };
        }
      }
      case "moveToColumn":
        return applyMoveToColumn(this.client, effect);
      case "notify": {
        if (!this.notifier) throw new Error(`no notifier configured for ${effect.channel}`);
        return this.notifier(effect);
      }
    }
  }
}

function isAlreadyExists(err: unknown): boolean {
  const e = err as {
    status?: number;
    response?: { data?: { errors?: { code?: string }[]; message?: string } };
  };
  if (e.status !== 422) return false;
  const data = e.response?.data;
  return Boolean(
    data?.errors?.some((x) => x.code === "already_exists") ||
      /already exists/i.test(data?.message ?? ""),
  );
}
