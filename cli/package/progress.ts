/** Download progress: a redrawn bar on a terminal, a few plain lines otherwise (logs, CI, pipes). */
export interface Progress {
  start(total: number): void;
  tick(bytes: number): void;
  done(): void;
}

export const silentProgress: Progress = { start() {}, tick() {}, done() {} };

export function progressFor(stream: NodeJS.WriteStream): Progress {
  let total = 0;
  let count = 0;
  let bytes = 0;
  let lastLine = -1;
  const mb = () => `${(bytes / 1_048_576).toFixed(1)} MB`;
  return {
    start(n) {
      total = n;
    },
    tick(b) {
      count++;
      bytes += b;
      if (stream.isTTY) {
        const width = 30;
        const filled = total ? Math.round((count / total) * width) : width;
        stream.write(
          `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${count}/${total} objects ${mb()}`,
        );
      } else {
        // About ten lines per pull, whatever its size.
        const step = Math.max(1, Math.ceil(total / 10));
        if (count % step === 0 || count === total) {
          if (count !== lastLine) stream.write(`downloaded ${count}/${total} objects (${mb()})\n`);
          lastLine = count;
        }
      }
    },
    done() {
      if (stream.isTTY && total > 0) stream.write('\n');
    },
  };
}
