// KPI definitions (R1, R2): pure functions of plain data and an instant.
export {
  applyKpiDelta,
  type ItemAt,
  type ItemHistory,
  indexKpiData,
  itemAt,
  type KpiDelta,
  type KpiIndex,
} from "./asof.js";
export {
  htmlBase,
  KPI_EVENTS,
  type KpiData,
  type KpiEvent,
  type KpiItem,
  type KpiRepository,
  type KpiSettings,
  kpiSettings,
  labelsOfInterest,
} from "./model.js";
export {
  KPI_MARKER,
  type KpiSnapshotPart,
  kpiConfigHash,
  kpiMarker,
  kpiTitle,
  kpiWeeklyReport,
  weekBoundary,
  weekKey,
} from "./post.js";
export {
  averageDays,
  columnDefinitions,
  computeKpi,
  csvRow,
  type KpiColumn,
  type KpiGroupFigures,
  type KpiMode,
  type KpiReport,
  type UnlabelledBug,
} from "./report.js";
export { type KpiDifference, type KpiView, kpiMarkdown, kpiView } from "./view.js";
export {
  boundariesBetween,
  boundaryAtOrBefore,
  calendarDaysBefore,
  type ReportWindows,
  reportWindows,
  shiftBoundary,
  type WeekBoundary,
} from "./week.js";
