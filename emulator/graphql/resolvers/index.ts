// Every GraphQL module the emulator serves; add one line per module.
import type { GraphQLModule } from "../schema.js";
import { coreModule } from "./core.js";

export const GRAPHQL_MODULES: readonly GraphQLModule[] = [coreModule];
