import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatConfigError, loadConfig, parseConfig } from "../../src/handbook/load.js";
import { resolveRituals, ritualId } from "../../src/handbook/rituals.js";
import { EXAMPLE, ROOT } from "../support/app.js";

const FIXTURES = path.join(ROOT, "test/fixtures/config");

describe("rituals in the configuration", () => {
  it("R47: the real rituals file loads unchanged: 20 rituals, each with its own id", async () => {
    const result = await loadConfig(EXAMPLE, { env: {} });
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join("\n"));
    const defs = resolveRituals(result.config);
    expect(defs).toHaveLength(20);
    expect(new Set(defs.map((d) => d.id)).size).toBe(20);
    const release = defs.find((d) => d.ritual.task === "Release ritual")!;
    expect(release.id).toBe("release-ritual");
    expect(release.recurrence?.step).toEqual({ count: 3, unit: "weeks" });
    expect(release.recurrence?.time.toString()).toBe("09:00:00");
    expect(release.timeZone).toBe("America/Los_Angeles");
    expect(defs.find((d) => d.ritual.frequency === "Every patch release")?.event).toBe(
      "patch-release",
    );
    expect(ritualId({ task: 'Change password of "Integrations admin" Salesforce account' })).toBe(
      "change-password-of-integrations-admin-salesforce-account",
    );
  });

  it("accepts Bosun's richer form and names the ritual and field of each mistake", async () => {
    const file = path.join(FIXTURES, "rituals-rich.yml");
    const result = await loadConfig(file, { env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [46, 15, "rituals[1].leadTime"],
      [52, 15, "rituals[2].assignee"],
    ]);
    expect(result.errors[0]!.message).toBe(
      'ritual "Rotate the Salesforce password": leadTime must be a lead time such as "3 weeks", "2 days" or "12 hours", found "soon"',
    );
    expect(result.errors[1]!.message).toContain('ritual "Website check": assignee must be');
    // The other rituals still run: the configuration without the broken ones.
    expect(result.partial?.skipped.map((s) => [s.index, s.task])).toEqual([
      [1, "Rotate the Salesforce password"],
      [2, "Website check"],
    ]);
    const kept = result.partial!.config.rituals;
    expect(kept.map((r) => r.task)).toEqual(["Renew the MDM CSR", "On-call handoff"]);
    expect(kept[0]).toMatchObject({
      time: "10:30",
      timeZone: "Europe/Paris",
      leadTime: "3 weeks",
      runbook: "renew-mdm-certificate-signing-request-csr",
      assignee: "role:releaseRitualDri",
      catchUp: "all",
    });
    const [csr, handoff] = resolveRituals(result.partial!.config);
    expect(csr!.recurrence?.time.toString()).toBe("10:30:00");
    expect(csr!.lead).toEqual({ count: 3, unit: "weeks" });
    expect(handoff!.id).toBe("oncall-handoff");
  });

  it("R47: broken rituals in a rituals file are skipped; the valid one still runs", async () => {
    const result = await loadConfig(path.join(FIXTURES, "broken-rituals-file.yml"), { env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.partial?.config.rituals.map((r) => r.task)).toEqual(["Release ritual"]);
    expect(result.partial?.skipped.map((s) => s.task)).toEqual(["Sprint demo", "Website check"]);
  });

  it("an unknown frequency, a bad date, autoIssue without repo: each names ritual and field", async () => {
    for (const [name, field] of [
      ["broken-ritual-frequency.yml", "frequency"],
      ["broken-ritual-autoissue-no-repo.yml", "autoIssue.repo"],
    ] as const) {
      const result = await loadConfig(path.join(FIXTURES, name), { env: {} });
      expect(!result.ok && result.errors[0]!.message).toContain(
        `ritual "Weekly bug review": ${field}`,
      );
      expect(!result.ok && result.partial?.config.rituals).toEqual([]);
    }
    const text = readFileSync(path.join(FIXTURES, "broken-ritual-frequency.yml"), "utf8")
      .replace("Fortnightly", "Weekly")
      .replace('startedOn: "2026-01-07"', 'startedOn: "2026-13-07"');
    const result = parseConfig(text, "bosun.yml");
    expect(!result.ok && result.errors.map(formatConfigError)).toEqual([
      'bosun.yml:31:16 rituals[0].startedOn: ritual "Weekly bug review": startedOn must be a date that exists in the calendar, as "YYYY-MM-DD", found "2026-13-07"',
    ]);
  });

  it("a problem outside the rituals still stops everything (no partial configuration)", () => {
    const text = readFileSync(path.join(FIXTURES, "broken-ritual-frequency.yml"), "utf8")
      .replace("mode: release-candidate", "")
      .replace("releaseTrain:\n", "releaseTrain:\n  mode: frozen\n");
    const result = parseConfig(text, "bosun.yml");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.length).toBe(2);
    expect(!result.ok && result.partial).toBeUndefined();
  });
});
