// Plausible names for generated people, customers and titles. Fixed lists keep the output
// deterministic and readable in tests.
export const COMMUNITY = [
  "dantecatalfamo",
  "zwass",
  "sabrinabuckets",
  "ttt-ops",
  "nabilmirza",
  "kc9wwh",
  "bradc",
  "jmwatts",
  "phil-m",
  "ericxu-ops",
  "rfairburn",
  "mkeller-it",
  "sdeguzman",
  "opsmonkey",
  "hollyfrost",
  "nikolasg",
  "tmorgan42",
  "ajpatel-sec",
  "lisa-w",
  "drewbaker",
];

export const BOTS = ["dependabot[bot]", "github-actions[bot]"];

export const CUSTOMERS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne"];

export const AREAS = [
  "software inventory",
  "MDM enrollment",
  "osquery live queries",
  "policies",
  "vulnerability feed",
  "host details page",
  "SSO login",
  "fleetctl gitops",
  "Windows profiles",
  "Apple DDM",
  "disk encryption",
  "script execution",
  "webhooks",
  "activity feed",
  "calendar events",
];

export const BUG_VERBS = [
  "fails to load",
  "shows wrong count for",
  "crashes when filtering",
  "times out on",
  "returns 500 for",
  "does not refresh",
  "duplicates entries in",
  "ignores team filter in",
];

export const STORY_VERBS = ["Add", "Support", "Allow admins to configure", "Improve", "Redesign"];

export const PR_VERBS = ["Fix", "Refactor", "Add tests for", "Speed up", "Update", "Clean up"];

export const COMMENTS = [
  "Reproduced on main.",
  "Can we get more details about the environment?",
  "Looking into this.",
  "This should be fixed by the linked PR.",
  "Confirmed with the customer.",
  "LGTM",
  "Moving to the next sprint.",
  "QA passed on the RC.",
  "Thanks for the report!",
];
