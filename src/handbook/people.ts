import type { HandbookConfig } from "./schema.js";

/** Every login the configuration gives a role, once each: the people rules wait on. */
export function roleLogins(config: HandbookConfig): string[] {
  const r = config.roles;
  const all = [
    r.engineeringOutputDri,
    r.releaseRitualDri,
    r.headOfProductDesign,
    r.vpCustomerSuccess,
    ...r.onCall.rotation,
    ...config.productGroups.flatMap((g) => [g.engineeringManager, g.qaLead]),
  ];
  const seen = new Set<string>();
  return all.filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
}
