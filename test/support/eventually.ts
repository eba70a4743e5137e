/**
 * Polls `probe` until it returns a value that `done` accepts. The verdict never depends on how
 * fast a loaded machine is: the bound is generous, and exceeding it fails with the last value seen.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { within = 150_000, every = 200, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + within;
  let last: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      last = await probe();
      error = undefined;
      if (done(last)) return last;
    } catch (err) {
      error = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not met within ${within / 1000} s; last: ${error ? String(error) : JSON.stringify(last)}`,
      );
    }
    await new Promise((r) => setTimeout(r, every));
  }
}
