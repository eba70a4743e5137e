// Pull requests of a repository with their reviews, in GitHub's GraphQL shapes: the one list
// that gives every review of a repository without a request per pull request.
import { iso } from "../../clock.js";
import { nodeId } from "../../render/context.js";
import type { IssueRec, RepoData, ReviewRec } from "../../state/model.js";
import { type ConnectionArgs, connection } from "../connection.js";
import type { GraphQLModule } from "../schema.js";
import { actorObject, type repositoryObject } from "./core.js";

type RepositoryObject = ReturnType<typeof repositoryObject>;

interface PullsArgs extends ConnectionArgs {
  states?: string[] | null;
  orderBy?: { field: "CREATED_AT" | "UPDATED_AT"; direction: "ASC" | "DESC" } | null;
}

function pullState(issue: IssueRec): string {
  return issue.pull?.merged ? "MERGED" : issue.state === "open" ? "OPEN" : "CLOSED";
}

function pullObject(data: RepoData, issue: IssueRec, repository: RepositoryObject) {
  return {
    __typename: "PullRequest",
    id: nodeId("PullRequest", issue.id),
    number: issue.number,
    title: issue.title,
    state: pullState(issue),
    createdAt: iso(issue.createdAt),
    updatedAt: iso(issue.updatedAt),
    isDraft: issue.pull!.draft,
    mergedAt: issue.pull!.mergedAt === null ? null : iso(issue.pull!.mergedAt),
    headRefName: issue.pull!.headRef,
    headRefOid: issue.pull!.headSha,
    baseRefName: issue.pull!.baseRef,
    repository,
    data,
    issue,
  };
}

type PullObject = ReturnType<typeof pullObject>;

export const pullsModule: GraphQLModule = {
  resolvers: {
    "Repository.pullRequests": (parent: RepositoryObject, args: PullsArgs) => {
      const data = parent.data;
      const states = args.states?.length ? new Set(args.states) : undefined;
      const field = args.orderBy?.field === "UPDATED_AT" ? "updatedAt" : "createdAt";
      const sign = args.orderBy?.direction === "DESC" ? -1 : 1;
      const list = data.issues
        .filter((i) => i.pull && (!states || states.has(pullState(i))))
        .sort((a, b) => sign * (a[field] - b[field] || a.number - b.number));
      return connection("pullRequests", list, args, (i) => pullObject(data, i, parent));
    },
    "PullRequest.reviews": (parent: PullObject, args: ConnectionArgs) => {
      // GitHub lists a pull request's reviews oldest first; pending ones are the author's own.
      const list = parent.data.reviews.filter(
        (r) => r.pullNumber === parent.number && r.state !== "PENDING",
      );
      return connection("reviews", list, args, (r: ReviewRec) => ({
        __typename: "PullRequestReview",
        id: nodeId("PullRequestReview", r.id),
        databaseId: r.id,
        author: r.user,
        state: r.state,
        body: r.body,
        submittedAt: iso(r.submittedAt),
        commit: r.commitId
          ? { __typename: "Commit", id: nodeId("Commit", 0), oid: r.commitId }
          : null,
      }));
    },
    "PullRequestReview.author": (parent: { author: string }, _args, ctx) =>
      actorObject(ctx, parent.author),
  },
  nodes: {},
};
