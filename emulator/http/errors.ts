const DOCS = "https://docs.github.com/rest";

/** An answer with GitHub's status code and error body; thrown from anywhere in a handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

export interface FieldError {
  resource: string;
  field: string;
  code: "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom";
  value?: unknown;
  message?: string;
}

export function notFound(): HttpError {
  return new HttpError(404, { message: "Not Found", documentation_url: DOCS, status: "404" });
}

export function badJson(): HttpError {
  return new HttpError(400, {
    message: "Problems parsing JSON",
    documentation_url: DOCS,
    status: "400",
  });
}

export function validationFailed(...errors: FieldError[]): HttpError {
  return new HttpError(422, {
    message: "Validation Failed",
    errors,
    documentation_url: DOCS,
    status: "422",
  });
}

/** A 422 with a plain message, as GitHub answers e.g. "Reference already exists". */
export function unprocessable(message: string): HttpError {
  return new HttpError(422, { message, documentation_url: DOCS, status: "422" });
}

export function conflict(message: string): HttpError {
  return new HttpError(409, { message, documentation_url: DOCS, status: "409" });
}

export function methodNotAllowed(message: string): HttpError {
  return new HttpError(405, { message, documentation_url: DOCS, status: "405" });
}

export function requireString(
  body: Record<string, unknown>,
  field: string,
  resource: string,
): string {
  const value = body[field];
  if (value === undefined || value === null || value === "") {
    throw validationFailed({ resource, field, code: "missing_field" });
  }
  if (typeof value !== "string") {
    throw validationFailed({ resource, field, code: "invalid", value });
  }
  return value;
}

export function optionalString(
  body: Record<string, unknown>,
  field: string,
  resource: string,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw validationFailed({ resource, field, code: "invalid", value });
  return value;
}

export function optionalStringArray(
  body: Record<string, unknown>,
  field: string,
  resource: string,
): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw validationFailed({ resource, field, code: "invalid", value });
  return value.map((item) => {
    if (typeof item === "string") return item;
    // Label arrays may also be [{ name }] objects.
    if (item && typeof item === "object" && typeof (item as { name?: unknown }).name === "string") {
      return (item as { name: string }).name;
    }
    throw validationFailed({ resource, field, code: "invalid", value });
  });
}
