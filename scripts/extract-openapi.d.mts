export const fixturePath: string;
export function extractSubset(): {
  source: { package: string; version: string; file: string };
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
};
export function serialise(subset: unknown): string;
