/**
 * Imports runbooks (R48) from a handbook markdown page: every "###" procedure becomes a
 * runbook whose steps are a checklist. Parsed with remark (mdast, GitHub-flavoured), never with
 * regular expressions over markdown; the text of each step is the page's own markdown, sliced
 * from the source at the positions the parser reports, so links, code and emphasis stay exactly
 * as written.
 *
 * How a procedure's steps are found, in order of preference:
 * - "numbered": the items of the section's ordered lists. A handbook often interrupts a numbered
 *   list with an unindented bullet list ("1. **Go**" then "- Check ..."), which markdown reads as
 *   separate lists; such bullets (and quotes or paragraphs before the next number) belong to the
 *   step above them and become its sub-steps and notes. A numbered list that restarts at 1
 *   starts a new group, labelled by the paragraphs before it ("**Updating existing ADRs:**").
 * - "bulleted": with no numbered list, the items of the section's bullet lists, grouped the same way.
 * - "prose": with no list, one step (the procedure's title) and the text as its introduction.
 *
 * HTML comments are not content: a procedure commented out (`<!-- ### ... -->`) is not
 * imported, and a comment inside a procedure is dropped. Tables are kept as notes. Mis-encoded
 * characters are repaired first (see mojibake.ts), so titles, anchors and steps all agree.
 */
import type { Heading, ListItem, Root, RootContent } from "mdast";
import { toString as mdastToString } from "mdast-util-to-string";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { repairMojibake } from "./mojibake.js";
import { slugify } from "./rituals.js";
import type { Runbook, RunbookStep } from "./runbook-model.js";

export { findRunbook, type Runbook, type RunbookStep, runbookChecklist } from "./runbook-model.js";

export interface ImportResult {
  runbooks: Runbook[];
  /** Mis-encoded sequences repaired on the page. */
  repaired: number;
  /** "###" headings in HTML comments, which are not imported. */
  commentedOut: number;
}

interface Node {
  type: string;
  position?: { start: { offset?: number; column: number }; end: { offset?: number } };
}

export function importRunbooks(markdown: string, source: string): ImportResult {
  const { text, repaired } = repairMojibake(markdown);
  const tree = unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
  const slice = (node: Node) => sourceOf(text, node);

  // Anchors as GitHub makes them: one slug counter over every heading of the page.
  const slugCounts = new Map<string, number>();
  const anchorOf = (title: string) => {
    const slug = slugify(title);
    const n = slugCounts.get(slug) ?? 0;
    slugCounts.set(slug, n + 1);
    return n === 0 ? slug : `${slug}-${n}`;
  };

  const sections: { heading: Heading; anchor: string; nodes: RootContent[] }[] = [];
  let current: (typeof sections)[number] | undefined;
  let commentedOut = 0;
  for (const node of tree.children) {
    if (node.type === "heading") {
      const anchor = anchorOf(mdastToString(node).trim());
      if (node.depth === 3) {
        current = { heading: node, anchor, nodes: [] };
        sections.push(current);
        continue;
      }
      if (node.depth < 3) {
        current = undefined;
        continue;
      }
    }
    if (node.type === "html") {
      if (/^<!--/.test(node.value) && node.value.split("\n").some((l) => l.startsWith("### ")))
        commentedOut += 1;
      continue;
    }
    current?.nodes.push(node);
  }

  const runbooks = sections.map(({ heading, anchor, nodes }) => {
    const title = mdastToString(heading).trim();
    const steps = stepsOf(nodes, slice);
    const fleetdmSlug = title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-|-$/g, "");
    const firstStep = steps.firstIndex ?? nodes.length;
    const intro = nodes
      .slice(0, firstStep)
      .map((n) => slice(n))
      .join("\n\n");
    const runbook: Runbook = {
      anchor,
      aliases: fleetdmSlug !== anchor ? [fleetdmSlug] : [],
      title,
      source,
      kind: steps.kind,
      intro,
      steps: steps.kind === "prose" ? [{ text: title, notes: [], children: [] }] : steps.steps,
    };
    return runbook;
  });
  return { runbooks, repaired, commentedOut };
}

interface Found {
  kind: Runbook["kind"];
  steps: RunbookStep[];
  /** Index of the first node holding steps (or a label of their first group). */
  firstIndex?: number;
}

function stepsOf(nodes: RootContent[], slice: (n: Node) => string): Found {
  const content = nodes.filter((n) => n.type !== "html");
  const ordered = content.some((n) => n.type === "list" && n.ordered);
  const bullets = content.some((n) => n.type === "list" && !n.ordered);
  if (!ordered && !bullets) return { kind: "prose", steps: [] };
  const isStepList = (n: RootContent): boolean =>
    n.type === "list" && (ordered ? n.ordered === true : !n.ordered);

  const groups: { label: string[]; steps: RunbookStep[] }[] = [];
  // Paragraphs since the last other block: they may name the next group of steps.
  let pending: { index: number; text: string; heading: boolean }[] = [];
  let firstIndex: number | undefined;
  let last: RunbookStep | undefined;
  let attachLists = false;
  content.forEach((node, index) => {
    if (node.type === "list" && isStepList(node)) {
      const restarts = ordered ? (node.start ?? 1) === 1 : true;
      if (groups.length === 0 || restarts) {
        // A bold paragraph ("**Updating existing ADRs:**") starts the label; without one,
        // every paragraph since the last other block is the label.
        const from = pending.findLastIndex((p) => p.heading);
        const label = pending.slice(Math.max(0, from));
        // Those paragraphs name this group; they are not notes of the step above.
        if (last && label.length > 0) last.notes.splice(-label.length);
        groups.push({ label: label.map((p) => p.text), steps: [] });
        firstIndex ??= label[0]?.index ?? index;
      }
      for (const item of node.children) {
        last = stepFrom(item, slice);
        groups.at(-1)!.steps.push(last);
      }
      pending = [];
      attachLists = true;
      return;
    }
    if (node.type === "paragraph") {
      const [only] = node.children;
      const heading = node.children.length === 1 && only?.type === "strong";
      pending.push({ index, text: slice(node), heading });
    } else pending = [];
    // Before the first step everything is introduction.
    if (!last) return;
    if (node.type === "list" && attachLists) {
      last.children.push(...node.children.map((item) => stepFrom(item, slice)));
      return;
    }
    attachLists = false;
    last.notes.push(slice(node));
  });

  // Labels only mean something when there is more than one group.
  const labelled = groups.length > 1;
  const steps = groups.flatMap((g, i) =>
    g.steps.map((s) =>
      labelled ? { ...s, group: g.label.join(" ").trim() || `Part ${i + 1}` } : s,
    ),
  );
  return { kind: ordered ? "numbered" : "bulleted", steps, firstIndex: firstIndex ?? 0 };
}

function stepFrom(item: ListItem, slice: (n: Node) => string): RunbookStep {
  const [first, ...rest] = item.children;
  const step: RunbookStep = { text: "", notes: [], children: [] };
  if (first && first.type === "paragraph") step.text = slice(first);
  else if (first) step.notes.push(slice(first));
  for (const child of rest) {
    if (child.type === "list") step.children.push(...child.children.map((c) => stepFrom(c, slice)));
    else if (child.type !== "html") step.notes.push(slice(child));
  }
  return step;
}

/**
 * The page's own markdown for a node. Lines after the first keep the indentation of the list
 * they sat in; strip up to the node's starting column so the text stands on its own.
 */
function sourceOf(text: string, node: Node): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return "";
  const indent = (node.position?.start.column ?? 1) - 1;
  const [head = "", ...tail] = text.slice(start, end).split("\n");
  const dedented = tail.map((line) => {
    let k = 0;
    while (k < indent && line[k] === " ") k++;
    return line.slice(k);
  });
  return [head, ...dedented].join("\n").trimEnd();
}
