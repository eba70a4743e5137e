// The organisation's members and teams, read again once a day, and soon after a member,
// membership or organization webhook asked for it (src/github/webhooks/apply-people.ts). The
// job looks often and reads GitHub only when the list is due, so several processes sharing a
// store converge: the first to refresh moves `synced_at`, and the others find nothing due.
import { syncPeople } from "../github/people.js";
import { peopleRefreshDue } from "../rules/people.js";
import type { JobContext, ScheduledJob } from "./jobs.js";

export const peopleJob: ScheduledJob = {
  name: "people",
  everyMs: 5 * 60_000,
  async run({ store, config, now, client }: JobContext) {
    if (!client) return undefined;
    const org = config.organisation;
    if (!peopleRefreshDue(await store.orgPeople(org), now)) return undefined;
    const r = await syncPeople(client, store, org, now.toString());
    return `people of ${org}: ${r.members} members (${r.concealed} concealed), ${r.teams} teams`;
  },
};
