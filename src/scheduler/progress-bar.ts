const WIDTH = 24;

function formatBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

export interface ProgressState {
  done: number;
  total: number;
  bytesRead: number;
}

/**
 * A one-line progress bar on stderr: tasks done/total, bytes read, MB/s, elapsed time.
 * On a TTY it redraws in place; elsewhere (opted in) it prints a line every few seconds.
 */
export class ProgressBar {
  private timer: NodeJS.Timeout | null = null;
  private shown = false;
  private lastLine = 0;
  private readonly started = Date.now();

  constructor(
    private readonly read: () => ProgressState,
    private readonly unit: string,
    /** Quiet until the compute has run this long (0 when the user asked for progress). */
    private readonly showAfterMs: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  start(): void {
    const tty = Boolean(this.stream.isTTY);
    this.timer = setInterval(() => {
      if (Date.now() - this.started < this.showAfterMs) return;
      if (!tty && Date.now() - this.lastLine < 5000) return;
      this.draw(tty);
    }, 100);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Only a bar that was drawn (or asked for) gets its final state; quick computes print nothing.
    if (this.shown || this.showAfterMs === 0) {
      this.draw(Boolean(this.stream.isTTY));
      if (this.stream.isTTY) this.stream.write('\n');
    }
  }

  private draw(tty: boolean): void {
    const { done, total, bytesRead } = this.read();
    const seconds = (Date.now() - this.started) / 1000;
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
    const rate = seconds > 0 ? bytesRead / 1e6 / seconds : 0;
    const line = `[${bar}] ${done}/${total} ${this.unit} | ${formatBytes(bytesRead)} read | ${rate.toFixed(1)} MB/s | ${seconds.toFixed(1)} s`;
    this.stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    this.shown = true;
    this.lastLine = Date.now();
  }
}
