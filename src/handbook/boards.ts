// bosun.yml `boards`: the boards stories move across, by name. A GitHub Projects board is named
// by organisation, project number and its single-select field; its columns are that field's
// options, resolved to option ids when Bosun reads the board (src/github/projects.ts), so a
// renamed column is a configuration problem, not a silent no-op. The older handbook's ZenHub
// boards are label columns: a column is the label an issue carries.
import { z } from "zod";
import { loginSchema, nonEmpty } from "./scalars.js";

const BOARD_ALLOWED =
  'a Projects board ({ org: "fleetdm", project: 71, field: "Status" }) or label columns ({ labels: { "In progress": ":in progress" } })';

export const boardSchema = z
  .strictObject({
    /** The organisation that owns the project. */
    org: loginSchema.optional(),
    /** The project's number, as in https://github.com/orgs/<org>/projects/<number>. */
    project: z.int().min(1).optional(),
    /** The single-select field whose options are the columns. */
    field: nonEmpty('a single-select field of the project, e.g. "Status"').default("Status"),
    /** The columns the handbook moves items to; each must be an option of the field (checked when the board is read). */
    columns: z.array(nonEmpty('a column name, e.g. "In progress"')).default([]),
    /** Label columns (ZenHub): column name → the label that puts an issue in it. */
    labels: z.record(z.string().min(1), nonEmpty('a GitHub label, e.g. ":in progress"')).optional(),
  })
  .superRefine((board, ctx) => {
    const project = board.org !== undefined || board.project !== undefined;
    if (project && board.labels !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `must be either a Projects board or label columns, not both: ${BOARD_ALLOWED}`,
        path: ["labels"],
        input: board.labels,
      });
    } else if (!project && board.labels === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `must name its project or its labels: ${BOARD_ALLOWED}`,
        path: [],
        input: board,
      });
    } else if (project && (board.org === undefined || board.project === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: `a Projects board needs both "org" and "project": ${BOARD_ALLOWED}`,
        path: [board.org === undefined ? "org" : "project"],
        input: board,
      });
    }
  });

/** Board name → board. Rules name boards by these names ("engineering", "drafting"). */
export const boardsSchema = z.record(z.string().min(1), boardSchema);

export type BoardConfig = z.output<typeof boardSchema>;
export type BoardsConfig = z.output<typeof boardsSchema>;
