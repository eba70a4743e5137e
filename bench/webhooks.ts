// Webhook ingestion: deliveries per second and latency from request to stored (the endpoint
// answers once the delivery is stored), for signed issues and pull_request payloads, over
// real HTTP on 127.0.0.1, on the embedded store and on PostgreSQL. In the same run and the
// same database, the ceiling: plain single-row INSERTs of the same payloads at the same
// concurrency, without HTTP. (The endpoint stores deliveries that arrive together with one
// multi-row INSERT; see src/store/ingest-batch.ts.) Then how fast one worker applies what was
// stored. Prints figures; it is not
// a test. Targets (issue 5, PostgreSQL): at least half the ceiling, at least 1,000
// deliveries/s, p99 under 20 ms.
//
//   node dist/bench/webhooks.js   BENCH_REQUESTS=5000 BENCH_CONCURRENCY=16 BENCH_ROUNDS=3
//   To see what each part costs: BENCH_ONLY=postgres, BENCH_LOG=warn (no per-delivery log
//   line), BENCH_NO_QUEUE=1 (store without enqueueing).
//   DATABASE_URL=postgres://...            (default postgres://postgres@127.0.0.1:5432/test)
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import examplesJson from "@octokit/webhooks-examples/api.github.com/index.json" with {
  type: "json",
};
import Fastify from "fastify";
import pg from "pg";
import { repositoryMatcher, signBody, startDeliveryWorker } from "../src/github/webhooks/index.js";
import { registerWebhookRoutes } from "../src/server/webhooks.js";
import { openStore, type Store } from "../src/store/index.js";
import { queueSchemaFor } from "../src/store/queue.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP = Math.min(500, Math.ceil(REQUESTS / 10));
const APPLIED = Math.min(2000, REQUESTS);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECRET = "bench-secret";
const PG_URL =
  process.env.DATABASE_URL ??
  process.env.DATABASE_TEST_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

interface Sample {
  event: string;
  body: string;
  action: string | null;
  repository: string;
}

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

// --- the load generator, in a worker thread so it does not share the server's event loop

interface LoadJob {
  port: number;
  sample: Sample;
  signature: string;
  requests: number;
  concurrency: number;
}

if (!isMainThread) {
  const job = workerData as LoadJob;
  runLoad(job).then((figures) => parentPort!.postMessage(figures));
}

async function runLoad(job: LoadJob): Promise<Figures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const body = Buffer.from(job.sample.body);
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: job.port,
          method: "POST",
          path: "/webhooks/github",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": body.length,
            "x-github-event": job.sample.event,
            "x-github-delivery": randomUUID(),
            "x-hub-signature-256": job.signature,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  return measure(job.requests, job.concurrency, post, (status) => status === 202);
}

/** Runs `op` `total` times, `concurrency` at a time; latency per call, throughput overall. */
async function measure<T>(
  total: number,
  concurrency: number,
  op: () => Promise<T>,
  ok: (result: T) => boolean,
): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        const result = await op().catch(() => null);
        latencies.push(performance.now() - t0);
        if (result === null || !ok(result)) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!;
  return { perSecond: total / seconds, p50: at(0.5), p99: at(0.99), errors };
}

/** The round with the median throughput (its latencies with it). */
function median(rounds: Figures[]): Figures {
  const sorted = [...rounds].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function loadInWorker(job: LoadJob): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once("message", (figures: Figures) => {
      resolve(figures);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

// --- the bench

interface Row {
  backend: string;
  payload: string;
  kb: number;
  http: Figures;
  ceiling: Figures;
  appliedPerSecond: number;
}

function samples(): { issues: Sample; pull: Sample } {
  const all = examplesJson as unknown as { name: string; examples: Record<string, unknown>[] }[];
  const pick = (event: string, action: string) => {
    const payload = all.find((e) => e.name === event)!.examples.find((p) => p.action === action)!;
    return {
      event,
      body: JSON.stringify(payload),
      action,
      repository: (payload.repository as { full_name: string }).full_name,
    };
  };
  // pull_request.opened is the ~21 KB payload of a real pull request.
  return { issues: pick("issues", "opened"), pull: pick("pull_request", "opened") };
}

async function benchBackend(backend: string, store: Store): Promise<Row[]> {
  const { issues, pull } = samples();
  const repositories = repositoryMatcher([issues.repository]);
  const queue = await store.openDeliveryQueue();
  // Info-level JSON logs, as `bosun serve` writes them, into a sink: their cost is counted.
  const app = Fastify({
    logger: { level: process.env.BENCH_LOG ?? "info", stream: { write: () => {} } },
    bodyLimit: 26 * 1024 * 1024,
  });
  await registerWebhookRoutes(app, {
    secret: SECRET,
    repositories,
    store,
    ...(process.env.BENCH_NO_QUEUE ? {} : { queue }),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const rows: Row[] = [];
  try {
    for (const [name, sample] of [
      ["issues", issues],
      ["pull_request", pull],
    ] as const) {
      const signature = signBody(SECRET, sample.body);
      const ceilingOp = () =>
        store.insertDeliveryText({
          deliveryId: randomUUID(),
          event: sample.event,
          action: sample.action,
          repository: sample.repository,
          payload: sample.body,
        });
      // Warm both paths (JIT, pool connections, PostgreSQL's caches) before measuring.
      await measure(WARMUP, CONCURRENCY, ceilingOp, (stored) => stored);
      await loadInWorker({ port, sample, signature, requests: WARMUP, concurrency: CONCURRENCY });
      // Alternating rounds, each side's median kept: a 2-core machine shared by the server,
      // the load generator and PostgreSQL is noisy from one second to the next.
      const ceilings: Figures[] = [];
      const viaHttps: Figures[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        ceilings.push(await measure(REQUESTS, CONCURRENCY, ceilingOp, (stored) => stored));
        viaHttps.push(
          await loadInWorker({
            port,
            sample,
            signature,
            requests: REQUESTS,
            concurrency: CONCURRENCY,
          }),
        );
      }
      const ceiling = median(ceilings);
      const viaHttp = median(viaHttps);
      rows.push({
        backend,
        payload: name,
        kb: Buffer.byteLength(sample.body) / 1024,
        http: viaHttp,
        ceiling,
        appliedPerSecond: 0,
      });
    }
    // What the worker makes of the stored deliveries: the time to apply the first APPLIED.
    let applied = 0;
    let done: () => void = () => {};
    const enough = new Promise<void>((resolve) => {
      done = resolve;
    });
    const started = performance.now();
    const worker = await startDeliveryWorker({
      store,
      queue,
      repositories,
      onOutcome: () => {
        if (++applied === APPLIED) done();
      },
    });
    await enough;
    const perSecond = APPLIED / ((performance.now() - started) / 1000);
    for (const row of rows) row.appliedPerSecond = perSecond;
    await worker.stop();
  } finally {
    await app.close();
    await queue.stop();
  }
  return rows;
}

async function embedded(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "bosun-bench-webhooks-"));
  const store = await openStore({ dataDir: dir, holder: { command: "bench/webhooks" } });
  try {
    return await benchBackend("embedded (PGlite)", store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<Row[] | string> {
  const schema = `bosun_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return `PostgreSQL at ${PG_URL} is not reachable (${(error as Error).message}); set DATABASE_URL`;
  }
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const store = await openStore({ databaseUrl: PG_URL, schema });
    try {
      return await benchBackend("PostgreSQL", store);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}, ${queueSchemaFor(schema)} CASCADE`);
    await admin.end();
  }
}

function print(rows: Row[]) {
  const header = [
    "backend".padEnd(18),
    "payload".padEnd(13),
    "KB".padStart(5),
    "deliveries/s".padStart(12),
    "p50 ms".padStart(7),
    "p99 ms".padStart(7),
    "ceiling/s".padStart(10),
    "ceil p99".padStart(8),
    "ratio".padStart(6),
    "errors".padStart(6),
    "applied/s".padStart(9),
  ];
  console.log(header.join("  "));
  for (const r of rows) {
    console.log(
      [
        r.backend.padEnd(18),
        r.payload.padEnd(13),
        r.kb.toFixed(1).padStart(5),
        r.http.perSecond.toFixed(0).padStart(12),
        r.http.p50.toFixed(2).padStart(7),
        r.http.p99.toFixed(2).padStart(7),
        r.ceiling.perSecond.toFixed(0).padStart(10),
        r.ceiling.p99.toFixed(2).padStart(8),
        (r.http.perSecond / r.ceiling.perSecond).toFixed(2).padStart(6),
        String(r.http.errors + r.ceiling.errors).padStart(6),
        r.appliedPerSecond.toFixed(0).padStart(9),
      ].join("  "),
    );
  }
}

async function main() {
  console.log(
    `Webhook ingestion: ${REQUESTS} signed deliveries per round, median of ${ROUNDS} rounds, at concurrency ${CONCURRENCY} over HTTP on 127.0.0.1 ` +
      `(node ${process.version}, ${cpus().length} CPUs). "ceiling" is plain INSERTs of the same payloads into the ` +
      `same database at the same concurrency; "applied/s" is one worker applying the first ${APPLIED} stored deliveries afterwards.`,
  );
  const rows = process.env.BENCH_ONLY === "postgres" ? [] : await embedded();
  const onPostgres = await postgres();
  if (typeof onPostgres === "string") {
    print(rows);
    console.log(`PostgreSQL skipped: ${onPostgres}`);
    return;
  }
  print([...rows, ...onPostgres]);
  for (const r of onPostgres) {
    const ratio = r.http.perSecond / r.ceiling.perSecond;
    const verdicts = [
      `${ratio >= 0.5 ? "meets" : "MISSES"} half the ceiling (${ratio.toFixed(2)})`,
      `${r.http.perSecond >= 1000 ? "meets" : "MISSES"} 1,000/s (${r.http.perSecond.toFixed(0)})`,
      `${r.http.p99 < 20 ? "meets" : "MISSES"} p99 < 20 ms (${r.http.p99.toFixed(1)})`,
    ];
    console.log(`PostgreSQL ${r.payload}: ${verdicts.join("; ")}`);
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
