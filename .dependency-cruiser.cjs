// Import boundaries of Bosun, checked by dependency-cruiser (`npm run --silent deps:check`).
// Each rule's comment quotes the reason from the design (shared DESIGN.md).
//
// Why the check reads tsc's output and not the .ts sources: dependency-cruiser (every
// release up to 18.x) parses TypeScript only through the TypeScript 2-6 compiler API
// (`ts.createSourceFile`) or through @swc/core. The repo uses typescript@7, the native
// compiler, whose npm package exposes no such API (dependency-cruiser declares
// `typescript: ">=2.0.0 <7.0.0"` and treats .ts files as unscannable), and @swc/core is not
// a dependency. Its own acorn parser reads JavaScript only. So `deps:check` first emits
// JavaScript with the repo's own compiler (`tsc -p tsconfig.build.json --noCheck`, about 2 s)
// into node_modules/.cache/bosun-deps/ (mirroring src/, emulator/, bench/; test files are
// not emitted), and this config cruises that tree with acorn: `baseDir` is that folder, so
// paths read `src/rules/...js`, and the NodeNext specifiers (`./x.js`) resolve to the
// emitted files as they do at run time.
// Consequence: the graph is the run-time graph. `verbatimModuleSyntax` erases every
// `import type`, so type-only imports are invisible: the "type-only is fine" exceptions below
// hold by construction, and a type-only import across a forbidden boundary (e.g.
// `import type { Octokit }` in src/rules/) is NOT caught. The rules still spell the type-only
// exceptions (`dependencyTypesNot: ["type-only"]`) so they stay right if the parser becomes
// tsc or swc again (drop the emit step and `baseDir`, set `tsConfig`, and add
// `enhancedResolveOptions.extensionAlias: { ".js": [".ts", ".js"] }`).
const path = require("node:path");

const emitted = path.join(__dirname, "node_modules/.cache/bosun-deps");
// An npm package resolves relative to baseDir, to `../../pg/esm/index.mjs` (so its
// dependency type is "undetermined", not "npm"); own modules never start with `../`.
// The second alternative keeps the rules right when baseDir is the repository again.
const pkg = (names) => `(^(\\.\\./)+|(^|/)node_modules/)(${names.join("|")})/`;
// Development dependencies are not installed with the package (`npm install --omit=dev`).
const devDependencies = Object.keys(require("./package.json").devDependencies ?? {});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "DESIGN.md: 'Layout (keep folders mapping to this picture)' - the picture is a one-way " +
        "flow (ingest -> store -> decisions -> executor), and 'Small modules with one job'. " +
        "A cycle ties modules into one job; move the shared type or function to its own module.",
      from: { path: "^(src|emulator)/" },
      to: { circular: true },
    },
    {
      name: "rules-are-pure",
      severity: "error",
      comment:
        "DESIGN.md: 'Every behaviour is a pure decision over a snapshot and a clock, returning a " +
        "plan' and 'src/rules/<rule>/: ... the narrow read interface it needs and its loader, ... " +
        "its pure decision'. A rule reaches no adapter, orchestration or UI.",
      from: { path: "^src/rules/" },
      to: { path: "^src/(github|server|runtime|cli|web)/" },
    },
    {
      name: "rules-read-store-types-only",
      severity: "error",
      comment:
        "DESIGN.md: 'src/rules/<rule>/: ... the narrow read interface it needs' - a rule declares " +
        "it as a type (Pick<Store, ...>) and imports src/store/ for types only, never at run time.",
      from: { path: "^src/rules/" },
      to: { path: "^src/store/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "time-is-pure",
      severity: "error",
      comment:
        "DESIGN.md: 'src/time/: one business calendar ... that every clock in Bosun uses ... " +
        "always taking `now` as an argument'. The calendar knows no storage, GitHub, rules or " +
        "processes.",
      from: { path: "^src/time/" },
      to: { path: "^src/(store|github|rules|server|runtime|cli)/" },
    },
    {
      name: "handbook-is-configuration",
      severity: "error",
      comment:
        "DESIGN.md: 'src/handbook/: the shared configuration ..., the loader ..., and the " +
        "assembly of every rule's own configuration fragment into one schema'. It may read the " +
        "rule registry (src/rules/) for that, but no storage, GitHub, server, runtime or CLI.",
      from: { path: "^src/handbook/" },
      to: { path: "^src/(store|github|server|runtime|cli)/" },
    },
    {
      name: "emulator-only-for-preview",
      severity: "error",
      comment:
        "DESIGN.md: 'emulator/: GitHub (REST, GraphQL subset, webhooks, git) and Slack, for " +
        "tests, benchmarks and `bosun preview`'. Only the preview and emulator commands load it.",
      from: {
        path: "^src/",
        pathNot: "^src/cli/commands/(preview[^/]*|emulator\\.js$)",
      },
      to: { path: "^emulator/" },
    },
    {
      name: "only-github-uses-octokit",
      severity: "error",
      comment:
        "DESIGN.md: 'src/github/: the only GitHub adapter: Octokit client ..., webhook " +
        "verification ...' and 'Nothing else talks to GitHub for writes'. (emulator/ is GitHub's " +
        "stand-in, not Bosun's adapter: it signs deliveries with @octokit/webhooks-methods.)",
      from: { path: "^src/", pathNot: "^src/github/" },
      to: { path: pkg(["@octokit"]) },
    },
    {
      name: "only-notify-uses-slack",
      severity: "error",
      comment:
        "DESIGN.md: 'src/notify/ (or beside the applier): Slack, the other voice of the executor'. " +
        "The Slack clients stay behind the notifier, as Octokit stays behind src/github/.",
      from: { path: "^src/", pathNot: "^src/notify/" },
      to: { path: pkg(["@slack"]) },
    },
    {
      name: "only-store-uses-the-database",
      severity: "error",
      comment:
        "DESIGN.md: 'src/store/: one module per table or concern; embedded PGlite by default, " +
        "PostgreSQL when DATABASE_URL is set; the same SQL for both' (the job queue on " +
        "PostgreSQL included).",
      from: { path: "^(src|emulator)/", pathNot: "^src/store/" },
      to: { path: pkg(["pg", "pg-boss", "@electric-sql/pglite"]) },
    },
    {
      name: "shipped-code-uses-dependencies-only",
      severity: "error",
      comment:
        "Issue 19: 'nothing at run time needs TypeScript sources or development dependencies; " +
        "npm install --omit=dev of the package works'. What the package ships (src/, emulator/ " +
        "but its contract checks, which the package leaves out) imports only `dependencies`.",
      from: { path: "^(src|emulator)/", pathNot: "^emulator/contract/" },
      to: { path: pkg(devDependencies) },
    },
    {
      name: "effects-do-not-reach-adapters",
      severity: "error",
      comment:
        "DESIGN.md: 'src/effects/: plan types and the executor' and 'src/github/: ... the " +
        "applier that turns effects into calls': the executor drives an applier it is handed; " +
        "it imports GitHub and store types only, never their code.",
      from: { path: "^src/effects/" },
      to: { path: "^src/(github|store)/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    baseDir: emitted,
    doNotFollow: { path: "(^|/)node_modules/|^\\.\\./" },
    exclude: { path: "\\.test\\.js$" },
    moduleSystems: ["es6", "cjs"],
    parser: "acorn",
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      mainFields: ["module", "main"],
      extensions: [".js", ".json"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
