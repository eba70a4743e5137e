// The merge gate's idempotency discriminator: the head commit, the wanted state, the handbook
// rule that decided it and the status it replaces. No wording: a reworded description is the
// same intention. A changed verdict always replaces the latest status, so it gets a new key;
// one that flips back to an earlier verdict does too, because the status it replaces is newer.

export interface GateStatusIdentity {
  sha: string;
  state: "success" | "failure";
  /** The handbook rule id that decided the verdict ("R10"). */
  rule: string;
  /** The GitHub id (or time) of the status it replaces, "none" for the first. */
  replaces: string;
}

export const gateStatusKey = {
  build: (i: GateStatusIdentity): string => `${i.sha}|${i.state}|${i.rule}|after:${i.replaces}`,
  parse(discriminator: string): GateStatusIdentity | undefined {
    const m = /^([0-9a-f]{7,64})\|(success|failure)\|(R\d+)\|after:([^|]+)$/.exec(discriminator);
    if (!m) return undefined;
    return { sha: m[1]!, state: m[2] as GateStatusIdentity["state"], rule: m[3]!, replaces: m[4]! };
  },
};
