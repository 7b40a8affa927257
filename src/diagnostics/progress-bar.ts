import { type SchedulerEvent, schedulerEvents } from '../scheduler/events.js';

const WIDTH = 24;

function formatBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

/** What the bar shows, read from one compute's events. */
export interface ProgressState {
  done: number;
  total: number;
  bytesRead: number;
}

/**
 * A one-line progress bar on stderr for one compute: worker tasks done/total, bytes read, MB/s,
 * elapsed time, all from the scheduler's events. On a TTY it redraws in place; elsewhere (opted
 * in) it prints a line every few seconds.
 */
export class ProgressBar {
  private timer: NodeJS.Timeout | null = null;
  private shown = false;
  private lastLine = 0;
  private readonly started = Date.now();
  private readonly state: ProgressState = { done: 0, total: 0, bytesRead: 0 };
  private unsubscribe: (() => void) | null = null;

  constructor(
    /** The compute it follows (schedulerEvents.newComputeId()). */
    private readonly computeId: number,
    /** Quiet until the compute has run this long (0 when the user asked for progress). */
    private readonly showAfterMs: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Folds one event into the state (the subscriber). */
  readonly handle = (event: SchedulerEvent): void => {
    if (event.type === 'compute-started' && event.id === this.computeId) this.state.total = event.workerTasks;
    else if (event.type === 'compute-progress' && event.compute === this.computeId) this.state.bytesRead = Math.max(this.state.bytesRead, event.bytesRead);
    else if ((event.type === 'task-finished' || (event.type === 'task-failed' && !event.retrying)) && event.compute === this.computeId && !event.local) this.state.done++;
    else if (event.type === 'compute-finished' && event.id === this.computeId) this.state.bytesRead = event.report.bytesRead;
  };

  start(): void {
    this.unsubscribe = schedulerEvents.subscribe(this.handle);
    const tty = Boolean(this.stream.isTTY);
    this.timer = setInterval(() => {
      if (Date.now() - this.started < this.showAfterMs) return;
      if (!tty && Date.now() - this.lastLine < 5000) return;
      this.draw(tty);
    }, 100);
    this.timer.unref();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Only a bar that was drawn (or asked for) gets its final state; quick computes print nothing.
    if (this.shown || this.showAfterMs === 0) {
      this.draw(Boolean(this.stream.isTTY));
      if (this.stream.isTTY) this.stream.write('\n');
    }
  }

  private draw(tty: boolean): void {
    const { done, total, bytesRead } = this.state;
    const seconds = (Date.now() - this.started) / 1000;
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
    const rate = seconds > 0 ? bytesRead / 1e6 / seconds : 0;
    const line = `[${bar}] ${done}/${total} tasks | ${formatBytes(bytesRead)} read | ${rate.toFixed(1)} MB/s | ${seconds.toFixed(1)} s`;
    this.stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    this.shown = true;
    this.lastLine = Date.now();
  }
}

/** The bar compute() shows for `progress` ('auto': on a TTY, for computes over a second; true: always). */
export function progressBarFor(computeId: number, progress: boolean | 'auto'): ProgressBar | null {
  const show = progress === true || (progress === 'auto' && Boolean(process.stderr.isTTY));
  return show ? new ProgressBar(computeId, progress === true ? 0 : 1000) : null;
}
