/** A plain-text table whose last column wraps to the terminal's width. */
export function table(
  header: string[],
  rows: string[][],
  width = process.stdout.columns ?? 120,
): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const fixed = widths.slice(0, -1).reduce((a, w) => a + w + 2, 0);
  const last = Math.max(20, width - fixed);
  const out: string[] = [];
  all.forEach((row, i) => {
    const cells = row.slice(0, -1).map((cell, c) => cell.padEnd(widths[c]!));
    const wrapped = wrap(row[row.length - 1] ?? "", last);
    out.push([...cells, wrapped[0] ?? ""].join("  ").trimEnd());
    for (const more of wrapped.slice(1)) out.push(`${" ".repeat(fixed)}${more}`);
    if (i === 0)
      out.push(
        widths
          .map((w, c) => "-".repeat(c === widths.length - 1 ? Math.min(w, last) : w))
          .join("  "),
      );
  });
  return out.join("\n");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}
