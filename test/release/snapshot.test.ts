import { openStore } from "../../src/store/index.js";
import { releaseStoreSuite } from "./snapshot-suite.js";

releaseStoreSuite("the merge gate's snapshot and the deploy records (PGlite)", () =>
  openStore({ inMemory: true }),
);
