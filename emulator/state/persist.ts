import { createReadStream, existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { RepoData, UserRec } from "./model.js";
import type { OrgPeople } from "./people-model.js";
import { EmulatorState } from "./state.js";

// Snapshot persistence: NDJSON, one line per user batch and per repository section, so
// 100,000 issues never become one giant string. Written atomically (temp file + rename).

const FILE = "state.ndjson";
const CHUNK = 2000;

export function hasSnapshot(dataDir: string): boolean {
  return existsSync(join(dataDir, FILE));
}

export async function saveSnapshot(state: EmulatorState, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const lines: string[] = [
    JSON.stringify({
      kind: "meta",
      ids: state.ids,
      installationId: state.installationId,
      orgs: [...state.orgs],
    }),
  ];
  for (const [org, people] of state.people)
    lines.push(JSON.stringify({ kind: "people", org, people }));
  const users = [...state.users.values()];
  for (let i = 0; i < users.length; i += CHUNK)
    lines.push(JSON.stringify({ kind: "users", items: users.slice(i, i + CHUNK) }));
  for (const data of state.repos.values()) {
    const { issues, comments, events, ...small } = data;
    lines.push(
      JSON.stringify({ kind: "repo", data: { ...small, issues: [], comments: [], events: [] } }),
    );
    const key = `${data.repo.owner}/${data.repo.name}`;
    for (const [section, list] of [
      ["issues", issues],
      ["comments", comments],
      ["events", events],
    ] as const) {
      for (let i = 0; i < list.length; i += CHUNK)
        lines.push(JSON.stringify({ kind: section, repo: key, items: list.slice(i, i + CHUNK) }));
    }
  }
  const temp = join(dataDir, `${FILE}.tmp`);
  await writeFile(temp, `${lines.join("\n")}\n`);
  await rename(temp, join(dataDir, FILE));
}

export async function loadSnapshot(dataDir: string): Promise<EmulatorState> {
  const state = new EmulatorState();
  const lines = createInterface({
    input: createReadStream(join(dataDir, FILE)),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (!line) continue;
    const record = JSON.parse(line);
    if (record.kind === "meta") {
      state.ids = record.ids;
      state.installationId = record.installationId;
      for (const org of record.orgs) state.orgs.add(org);
    } else if (record.kind === "users") {
      for (const user of record.items as UserRec[]) state.users.set(user.login.toLowerCase(), user);
    } else if (record.kind === "people") {
      state.people.set(String(record.org), record.people as OrgPeople);
    } else if (record.kind === "repo") {
      const data = record.data as RepoData;
      state.repos.set(`${data.repo.owner}/${data.repo.name}`.toLowerCase(), data);
    } else {
      const data = state.repos.get(String(record.repo).toLowerCase());
      if (!data)
        throw new Error(`${dataDir}/${FILE}: ${record.kind} for unknown repository ${record.repo}`);
      (data[record.kind as "issues" | "comments" | "events"] as unknown[]).push(...record.items);
    }
  }
  return state;
}
