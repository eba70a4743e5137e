import { describe, expect, it } from "vitest";
import { resolveTargets } from "./targets.js";

const one = { organisation: "fleetdm", repositories: [{ name: "fleet" }] } as never;
const two = {
  organisation: "fleetdm",
  repositories: [{ name: "fleet" }, { name: "confidential" }],
} as never;

describe("bosun why targets", () => {
  it.each([
    ["fleetdm/fleet#123", one, ["fleetdm/fleet#123"]],
    ["fleet#123", one, ["fleetdm/fleet#123"]],
    ["PR#123", one, ["fleetdm/fleet#123"]],
    ["#123", two, ["fleetdm/fleet#123", "fleetdm/confidential#123"]],
    ["123", one, ["fleetdm/fleet#123"]],
    ["fleetdm/fleet@main", one, ["fleetdm/fleet@main"]],
    ["fleet@rc-minor-fleet-v4.62.0", one, ["fleetdm/fleet@rc-minor-fleet-v4.62.0"]],
    ["main", two, ["fleetdm/fleet@main", "fleetdm/confidential@main"]],
    ["fleetdm/fleet", one, ["fleetdm/fleet"]],
    ["release/4.1", one, ["fleetdm/fleet@release/4.1"]],
  ])("%s", (input, config, expected) => {
    expect(resolveTargets(input as string, config)).toEqual(expected);
  });
});
