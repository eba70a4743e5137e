/**
 * A runbook (R48): one "###" procedure of a handbook page as a checklist. Plain data, no parser
 * here, so rules and the dashboard can use it; `runbooks.ts` builds runbooks from markdown.
 */

export interface RunbookStep {
  /** The step's first paragraph, as the page wrote it (markdown: links, code and emphasis kept). */
  text: string;
  /** Further content of the step (paragraphs, quotes, code), markdown, one entry per block; shown after the sub-steps. */
  notes: string[];
  /** Nested list items, kept as sub-steps. */
  children: RunbookStep[];
  /** When a procedure has several numbered lists restarting at 1, the paragraph naming this one. */
  group?: string;
}

export interface Runbook {
  /** GitHub's heading slug, e.g. "edit-a-dns-record"; unique within the page. */
  anchor: string;
  /** Other spellings that reach this runbook (fleetdm.com's slug, which turns "." into "-"). */
  aliases: string[];
  title: string;
  /** The page it was imported from, as named on import. */
  source: string;
  /** Where the steps came from: numbered steps, else the top-level bullets, else the prose. */
  kind: "numbered" | "bulleted" | "prose";
  /** The text before the first step, markdown. */
  intro: string;
  steps: RunbookStep[];
}

/** The steps as a GitHub task list; nested lists are nested task lists. */
export function runbookChecklist(runbook: Pick<Runbook, "steps">): string {
  const lines: string[] = [];
  let group: string | undefined;
  const add = (step: RunbookStep, depth: number) => {
    const pad = "  ".repeat(depth);
    const [first = "", ...rest] = step.text.split("\n");
    lines.push(`${pad}- [ ] ${first}`);
    for (const line of rest) lines.push(line === "" ? "" : `${pad}  ${line}`);
    for (const child of step.children) add(child, depth + 1);
    for (const note of step.notes) {
      lines.push("");
      for (const line of note.split("\n")) lines.push(line === "" ? "" : `${pad}  ${line}`);
    }
  };
  for (const step of runbook.steps) {
    if (step.group !== undefined && step.group !== group) {
      if (lines.length > 0) lines.push("");
      lines.push(step.group, "");
      group = step.group;
    }
    add(step, 0);
  }
  return lines.join("\n");
}

/** Finds a runbook by anchor or alias, also when written with a leading "#" or as a full URL. */
export function findRunbook<T extends Pick<Runbook, "anchor" | "aliases">>(
  runbooks: readonly T[],
  reference: string,
): T | undefined {
  const hash = reference.lastIndexOf("#");
  const anchor = (hash >= 0 ? reference.slice(hash + 1) : reference).trim().toLowerCase();
  if (anchor === "") return undefined;
  return (
    runbooks.find((r) => r.anchor === anchor) ?? runbooks.find((r) => r.aliases.includes(anchor))
  );
}
