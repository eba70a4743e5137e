/** What the generator builds: an organisation shaped like a Bosun configuration. */
export interface OrgSpec {
  owner: string;
  repositories: { name: string; defaultBranch: string }[];
  groups: { label: string; engineeringManager: string; qaLead: string; members: string[] }[];
  labels: {
    bug: string;
    releasedBug: string;
    unreleasedBug: string;
    releaseBlocker: string;
    story: string;
    engineeringInitiated: string;
    product: string;
    release: string;
    pushed: string;
    customerPrefix: string;
    bugStates: { state: string; label: string }[];
    extra: string[];
  };
  release: {
    milestonePattern: string;
    tagPattern: string;
    rcBranchPattern: string;
    patchBranchPattern: string;
    sprintWeeks: number;
  };
  /** Generated history ends here. */
  now: Date;
  /** Further people the organisation has (roles that write no code), so GitHub knows them. */
  people?: string[];
}

export function defaultOrgSpec(now = new Date()): OrgSpec {
  return {
    owner: "fleetdm",
    repositories: [
      { name: "fleet", defaultBranch: "main" },
      { name: "confidential", defaultBranch: "main" },
    ],
    groups: [
      {
        label: "#g-endpoint-ops",
        engineeringManager: "sharon-fdm",
        qaLead: "xpkoala",
        members: ["getvictor", "lucasmrod", "iansltx", "mostlikelee", "ksykulev"],
      },
      {
        label: "#g-mdm",
        engineeringManager: "georgekarrv",
        qaLead: "pezhub",
        members: ["roperzh", "gillespi314", "mna", "jahzielv", "ghernandez345"],
      },
    ],
    labels: {
      bug: "bug",
      releasedBug: "~released bug",
      unreleasedBug: "~unreleased bug",
      releaseBlocker: "~release blocker",
      story: "story",
      engineeringInitiated: "~engineering-initiated",
      product: ":product",
      release: ":release",
      pushed: "~pushed",
      customerPrefix: "customer-",
      bugStates: [
        { state: "inbox", label: ":incoming" },
        { state: "acknowledged", label: ":reproduce" },
        { state: "reproduced", label: ":release" },
      ],
      extra: ["#handbook", "~ceo", ":improve documentation", "P1", "P2", "~dependencies"],
    },
    release: {
      milestonePattern: "{version}",
      tagPattern: "fleet-v{version}",
      rcBranchPattern: "rc-minor-fleet-v{version}",
      patchBranchPattern: "patch-fleet-v{version}",
      sprintWeeks: 3,
    },
    now,
  };
}

export function fill(pattern: string, version: string): string {
  return pattern.replace("{version}", version);
}
