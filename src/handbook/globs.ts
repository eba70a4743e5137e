// The one glob syntax of bosun.yml (R10 docs paths, R29 branch names): "*" within a "/"-separated
// part, "**" across parts, "?" one character. A pattern without "/" matches the last part at any
// depth ("*.md" is "**/*.md"); names without "/" (image tags, most branches) match as written.

export function globToRegExp(glob: string): RegExp {
  const pattern = glob.includes("/") ? glob.replace(/^\//, "") : `**/${glob}`;
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      // "**/" matches zero or more whole folders; a trailing "**" matches everything below.
      if (pattern[i + 2] === "/") {
        re += "(?:[^/]+/)*";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** A matcher for a list of globs: true when any matches the path. */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const res = globs.map(globToRegExp);
  return (path) => res.some((re) => re.test(path));
}
