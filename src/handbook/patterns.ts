/**
 * Name patterns with a `{version}` placeholder (branches, milestones, tags), e.g.
 * "rc-minor-fleet-v{version}". A name is built from a version and parsed back to it.
 */

/** "rc-minor-fleet-v{version}" + "4.62.0" -> "rc-minor-fleet-v4.62.0". */
export function formatPattern(pattern: string, version: string): string {
  return pattern.replaceAll("{version}", version);
}

/**
 * The version a name was built from, or undefined when the name does not match the pattern.
 * Versions are dotted numbers ("4.62.0"), optionally with a pre-release suffix ("4.62.0-rc.1").
 */
export function parsePattern(pattern: string, name: string): string | undefined {
  const escaped = pattern
    .split("{version}")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`^${escaped.join("(\\d+(?:\\.\\d+)*(?:-[0-9A-Za-z.]+)?)")}$`);
  const match = name.match(re);
  if (!match) return undefined;
  const versions = match.slice(1);
  return versions.every((v) => v === versions[0]) ? versions[0] : undefined;
}
