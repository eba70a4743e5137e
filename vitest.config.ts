import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "emulator/**/*.test.ts", "src/**/*.test.ts"],
          exclude: [
            "test/**/*.pg.test.ts",
            "test/**/*.browser.test.ts",
            "test/package/**",
            "**/node_modules/**",
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "postgres",
          include: ["test/**/*.pg.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Bosun as users install it: the packed npm package and the container's build
        // commands, each in an empty folder (npm install from the registry: slow, so after the
        // other projects, one file at a time, with generous limits).
        test: {
          name: "package",
          include: ["test/package/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/**/*.browser.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
