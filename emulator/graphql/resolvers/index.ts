// Every GraphQL module the emulator serves; add one line per module.
import type { GraphQLModule } from "../schema.js";
import { coreModule } from "./core.js";
import { projectsModule } from "./projects.js";
import { pullsModule } from "./pulls.js";

export const GRAPHQL_MODULES: readonly GraphQLModule[] = [coreModule, projectsModule, pullsModule];
