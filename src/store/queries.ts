// The base of every query module (repositories.ts, issues.ts ...): a database and nothing
// else. A module is a class of methods over `this.db`; store.ts copies their methods onto
// Store (see there), so a module holds no state of its own: state lives in Store.
import type { Db } from "./db.js";

export abstract class Queries {
  constructor(protected readonly db: Db) {}
}

/**
 * Copies the methods of each module's prototype onto `target`'s (the TypeScript handbook's
 * mixin pattern; the types come from declaration merging). Two modules defining one name is
 * a mistake, refused here rather than one silently replacing the other.
 */
export function mixQueries(
  target: abstract new (...args: never[]) => Queries,
  modules: readonly (abstract new (db: never) => Queries)[],
): void {
  for (const module of modules) {
    for (const name of Object.getOwnPropertyNames(module.prototype)) {
      if (name === "constructor") continue;
      if (Object.hasOwn(target.prototype, name)) {
        throw new Error(`store: ${module.name}.${name} is defined twice`);
      }
      const descriptor = Object.getOwnPropertyDescriptor(module.prototype, name)!;
      Object.defineProperty(target.prototype, name, descriptor);
    }
  }
}
