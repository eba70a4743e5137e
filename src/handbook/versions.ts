// The one ordering of version text ("4.62.0", "v4.62.0", "4.62.0-rc.1") every rule uses.

/** Semantic versions: numeric parts, then a pre-release ("-rc.1") before its release. */
export function compareSemver(a: string, b: string): number {
  const [am, ap] = splitPre(a.replace(/^v/, ""));
  const [bm, bp] = splitPre(b.replace(/^v/, ""));
  for (let i = 0; i < Math.max(am.length, bm.length, 3); i++) {
    const d = (am[i] ?? 0) - (bm[i] ?? 0);
    if (d !== 0) return d;
  }
  if (ap === bp) return 0;
  if (ap === undefined) return 1;
  if (bp === undefined) return -1;
  return ap.localeCompare(bp, "en", { numeric: true });
}

function splitPre(v: string): [number[], string | undefined] {
  const dash = v.indexOf("-");
  const main = dash < 0 ? v : v.slice(0, dash);
  return [main.split(".").map(Number), dash < 0 ? undefined : v.slice(dash + 1)];
}
