// Converting between driver values and row fields. The two drivers differ in small ways
// (pg returns int8 and count(*) as strings, PGlite as numbers; both return timestamptz as
// Date), so every row goes through these instead of trusting the driver.

export function iso(value: unknown): string {
  const result = isoOrNull(value);
  if (result === null) throw new Error(`expected a timestamp, got ${String(value)}`);
  return result;
}

export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: ${String(value)}`);
  return date.toISOString();
}

export function num(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** JSON parameters go in as text and are cast with ::jsonb in SQL: pg would otherwise turn a
 * JS array into a PostgreSQL array literal. */
export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Timestamp parameters: accept ISO strings or Dates, pass ISO text cast with ::timestamptz. */
export function ts(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : value;
}

/** Driver rows are loosely typed on purpose: each table's mapper decides each field's type. */
export type DbRow = Record<string, unknown>;

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v);
export const bool = (v: unknown): boolean => v === true;
export const boolOrNull = (v: unknown): boolean | null =>
  v === null || v === undefined ? null : v === true;

/** An SQL identifier (a table, a schema), quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
