import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ActivitySimulator } from "./activity.js";
import { registerAdminRoutes } from "./admin/routes.js";
import { ControlledClock } from "./clock.js";
import type { Core } from "./core.js";
import { createEmptyOrg, generateOrg } from "./generator/generate.js";
import { defaultOrgSpec, type OrgSpec } from "./generator/org-spec.js";
import { GitBackend } from "./git/backend.js";
import { registerGraphQLRoute } from "./graphql/route.js";
import { FaultBoard, type FaultSpec } from "./http/faults.js";
import { RateLimiter } from "./http/ratelimit.js";
import { registerAppRoutes } from "./http/routes/apps.js";
import { registerCheckRoutes } from "./http/routes/checks.js";
import { registerGitRoutes } from "./http/routes/git.js";
import { registerIssueRoutes } from "./http/routes/issues.js";
import { registerLabelRoutes } from "./http/routes/labels.js";
import { registerPeopleRoutes } from "./http/routes/people.js";
import { registerPullRoutes } from "./http/routes/pulls.js";
import { registerReleaseRoutes } from "./http/routes/releases.js";
import { registerRepoRoutes } from "./http/routes/repos.js";
import { registerVariableRoutes } from "./http/routes/variables.js";
import { buildServer, type ServerParts } from "./http/server.js";
import { type RunningSlack, type SlackAdmin, startSlackEmulator } from "./slack/server.js";
import { ensurePeople, publicMemberLogins } from "./state/people.js";
import { hasSnapshot, loadSnapshot, saveSnapshot } from "./state/persist.js";
import { EmulatorState } from "./state/state.js";
import { type DispatcherOptions, WebhookDispatcher } from "./webhooks/dispatcher.js";

export interface EmulatorOptions {
  port?: number;
  /** Refuse pages past this one on repository-wide lists, as GitHub does (422); unset serves all. */
  paginationCap?: number;
  /** Always loopback unless told otherwise. */
  host?: string;
  /** Persist state and git repositories here; restarting with the same dir restores them. */
  dataDir?: string;
  /** Issues + PRs to generate (default 2,000). 0 = an empty organisation. */
  size?: number;
  seed?: number;
  org?: OrgSpec;
  /** Replay: generate history only up to this date. */
  until?: Date;
  webhooks?: { url: string; secret: string; events?: string[] }[];
  webhookDelivery?: DispatcherOptions;
  activity?: boolean | { intervalMs: number };
  /** The emulator's clock (default: starts at the org's `now`, or `until`, and runs). */
  clock?: ControlledClock;
  /** Primary rate limit per token per hour (GitHub's is 5,000). */
  rateLimit?: number;
  /** Login that requests without an `emulator:<login>` token act as. */
  defaultViewer?: string;
  /** The Slack Web API beside GitHub (its own port, like slack.com beside api.github.com). */
  slack?: { port?: number; channels?: readonly string[] };
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface EmulatorAdmin {
  core: Core;
  clock: ControlledClock;
  requests(): { total: number; byEndpoint: Record<string, number> };
  resetRequests(): void;
  addFault(spec: FaultSpec): void;
  clearFaults(): void;
  addWebhook(url: string, secret: string, events?: string[]): void;
  activitySteps(count: number): Promise<string[]>;
  /** Waits for pending webhook deliveries. */
  idle(): Promise<void>;
  save(): Promise<void>;
  /** The emulated Slack workspace: recorded messages, channels, the 429 switch. */
  slack: SlackAdmin;
}

export interface RunningEmulator {
  url: string;
  /** The emulated Slack: `slack.apiUrl` is WebClient's `slackApiUrl`. */
  slack: Pick<RunningSlack, "url" | "apiUrl">;
  close(): Promise<void>;
  admin: EmulatorAdmin;
}

/** Starts the emulator: generate (or restore) the organisation, then serve it. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const spec = options.org ?? defaultOrgSpec();
  const seed = options.seed ?? 1;
  const size = options.size ?? 2000;
  const progress = options.onProgress ?? (() => undefined);
  const git = options.dataDir
    ? new GitBackend(join(options.dataDir, "git"))
    : await GitBackend.temporary();
  let state: EmulatorState;
  if (options.dataDir && hasSnapshot(options.dataDir)) {
    progress("restore", 0, 1);
    state = await loadSnapshot(options.dataDir);
    progress("restore", 1, 1);
  } else {
    state = new EmulatorState();
    if (size > 0)
      await generateOrg(state, git, {
        spec,
        seed,
        size,
        until: options.until,
        onProgress: progress,
      });
    else await createEmptyOrg(state, git, spec);
  }
  // Live time continues from where the generated history ends (the org's `now`, or the
  // replay date), so new activity never predates or leaps far past the history.
  for (const login of spec.people ?? []) state.ensureUser(login);
  const clock = options.clock ?? new ControlledClock((options.until ?? spec.now).getTime());
  const hooks = new WebhookDispatcher(options.webhookDelivery);
  for (const target of options.webhooks ?? [])
    hooks.addTarget(target.url, target.secret, target.events);
  // author_association follows the people: MEMBER for public members (a live set, which
  // domain/people.ts keeps in step), CONTRIBUTOR for concealed ones, as GitHub reports them.
  const members = state.orgs.has(spec.owner.toLowerCase())
    ? publicMemberLogins(ensurePeople(state, spec, clock.now()))
    : new Set<string>();
  const core: Core = {
    state,
    git,
    hooks,
    clock,
    render: { state, base: "", memberLogins: members },
  };
  const parts: ServerParts = {
    core,
    faults: new FaultBoard(),
    // Rate limits pace real clients, so their windows follow the wall clock, not the
    // simulated one (clients compare x-ratelimit-reset with their own Date.now()).
    limiter: new RateLimiter(options.rateLimit ?? 5000, () => Date.now()),
    counters: new Map(),
    paginationCap: { pages: options.paginationCap ?? null },
    defaultViewer: options.defaultViewer ?? spec.groups[0]?.engineeringManager ?? "octocat",
  };
  const { app, api } = buildServer(parts);
  const activity =
    size > 0 || state.repos.size > 0 ? new ActivitySimulator(core, spec, seed) : undefined;
  registerRepoRoutes(app, api);
  registerIssueRoutes(app, api);
  registerPullRoutes(app, api);
  registerLabelRoutes(app, api);
  registerGitRoutes(app, api);
  registerCheckRoutes(app, api);
  registerReleaseRoutes(app, api);
  registerVariableRoutes(app, api);
  registerAppRoutes(app, api);
  registerPeopleRoutes(app, api);
  registerGraphQLRoute(app, api);
  const slack = await startSlackEmulator({
    port: options.slack?.port,
    host: options.host,
    clock,
    channels: options.slack?.channels,
    dataDir: options.dataDir,
  });
  registerAdminRoutes(app, parts, clock, () => activity, slack);
  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  core.render.base = url;

  // Persist after changes: debounced, and never more often than twice the time a save
  // takes, so a 100,000-item organisation under live activity does not write constantly.
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  let lastSaveMs = 0;
  const save = () => {
    if (!options.dataDir) return Promise.resolve();
    const dir = options.dataDir;
    saving = saving.then(async () => {
      const started = performance.now();
      await saveSnapshot(state, dir);
      lastSaveMs = performance.now() - started;
    });
    return saving;
  };
  const unsubscribe = state.onChange(() => {
    if (!options.dataDir || saveTimer) return;
    saveTimer = setTimeout(
      () => {
        saveTimer = undefined;
        void save();
      },
      Math.max(500, 2 * lastSaveMs),
    );
    saveTimer.unref();
  });
  if (options.dataDir) await save();
  if (options.activity && activity)
    activity.start(typeof options.activity === "object" ? options.activity.intervalMs : 5000);

  return {
    url,
    slack: { url: slack.url, apiUrl: slack.apiUrl },
    async close() {
      activity?.stop();
      await activity?.idle();
      unsubscribe();
      if (saveTimer) clearTimeout(saveTimer);
      await save();
      hooks.close();
      await app.close();
      await slack.close();
      if (!options.dataDir) await git.destroy();
    },
    admin: {
      core,
      clock,
      requests: () => ({
        total: [...parts.counters.values()].reduce((a, b) => a + b, 0),
        byEndpoint: Object.fromEntries(parts.counters),
      }),
      resetRequests: () => {
        parts.counters.clear();
        parts.limiter.reset();
      },
      addFault: (spec) => void parts.faults.add(spec),
      clearFaults: () => parts.faults.clear(),
      addWebhook: (url, secret, events) => void hooks.addTarget(url, secret, events),
      activitySteps: async (count) => (activity ? activity.steps(count) : []),
      idle: () => hooks.idle(),
      save,
      slack: slack.admin,
    },
  };
}
