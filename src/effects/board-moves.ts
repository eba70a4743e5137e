// Planning a move across a board: the effect and its key. The key names the board, the item and
// the column (never the wording), so a rerun finds the move done, and a later move of the same
// item to another column is a new intention.
import type { BoardConfig } from "../handbook/boards.js";
import type { MoveToColumnEffect, RepoName } from "./effects.js";
import { type PlannedEffect, planned } from "./plan.js";

export function plannedMove(
  rule: string,
  move: { board: string; config: BoardConfig; repo: RepoName; number: number; column: string },
  reason: string,
): PlannedEffect {
  const { config } = move;
  const on: MoveToColumnEffect["on"] = config.labels
    ? { labels: config.labels }
    : { org: config.org ?? "", project: config.project ?? 0, field: config.field };
  const effect: MoveToColumnEffect = {
    type: "moveToColumn",
    board: move.board,
    repo: move.repo,
    number: move.number,
    column: move.column,
    on,
  };
  return planned(rule, effect, `${move.board}>${move.column}`, reason);
}
