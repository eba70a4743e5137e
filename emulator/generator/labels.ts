import type { LabelRec } from "../state/model.js";
import { CUSTOMERS } from "./names.js";
import type { OrgSpec } from "./org-spec.js";

// The organisation's labels: every name the OrgSpec configures, the group labels and the
// customer labels, with GitHub-like colours and descriptions.
const LABEL_COLORS = [
  "d73a4a",
  "0e8a16",
  "1d76db",
  "fbca04",
  "5319e7",
  "c5def5",
  "bfd4f2",
  "e99695",
  "f9d0c4",
  "006b75",
];

function labelNames(spec: OrgSpec): string[] {
  const L = spec.labels;
  return [
    ...new Set([
      L.bug,
      L.releasedBug,
      L.unreleasedBug,
      L.releaseBlocker,
      L.story,
      L.engineeringInitiated,
      L.product,
      L.release,
      L.pushed,
      ...L.bugStates.map((s) => s.label),
      ...L.extra,
      ...spec.groups.map((g) => g.label),
      ...CUSTOMERS.map((c) => `${L.customerPrefix}${c}`),
    ]),
  ];
}

function describeLabel(spec: OrgSpec, name: string): string {
  const L = spec.labels;
  if (name === L.bug) return "Something isn't working";
  if (name === L.releasedBug) return "This bug was found in a stable release.";
  if (name === L.unreleasedBug) return "This bug was found in an unreleased version.";
  if (name.startsWith(L.customerPrefix))
    return `Requested by ${name.slice(L.customerPrefix.length)}`;
  const state = L.bugStates.find((s) => s.label === name);
  if (state) return `Bug state: ${state.state}`;
  const group = spec.groups.find((g) => g.label === name);
  if (group) return `Product group ${name}`;
  return name;
}

/** The labels every generated repository starts with (ids are given by the caller). */
export function specLabels(spec: OrgSpec): Omit<LabelRec, "id">[] {
  return labelNames(spec).map((name, i) => ({
    name,
    color: LABEL_COLORS[i % LABEL_COLORS.length]!,
    description: describeLabel(spec, name),
    isDefault: name === spec.labels.bug,
  }));
}
