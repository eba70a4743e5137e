import { Presets, SingleBar } from "cli-progress";

/** A terminal progress bar per phase; silent when stdout is not a terminal (CI logs stay clean). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  let bar: SingleBar | undefined;
  let phase = "";
  return {
    update(name: string, done: number, total: number) {
      if (!stream.isTTY) return;
      if (name !== phase) {
        bar?.stop();
        phase = name;
        bar = new SingleBar(
          {
            format: `${name.padEnd(12)} {bar} {percentage}% | {value}/{total}`,
            stream,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        bar.start(total, done);
      } else {
        bar?.setTotal(total);
        bar?.update(done);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
