export type ProgressState = Readonly<{
  label: string;
  events: number;
  /** about how many events there are in all; null when unknown */
  estimate: number | null;
  elapsedMs: number;
}>;

const number = (n: number): string => Math.round(n).toLocaleString('en-US');

const rateOf = ({ events, elapsedMs }: ProgressState): number =>
  elapsedMs > 0 ? (events * 1000) / elapsedMs : 0;

/** `dialogs  [########------------]  40%  4,000 / 10,000 events  2,500 events/s` */
export const formatProgress = (state: ProgressState, width = 24): string => {
  const rate = `${number(rateOf(state))} events/s`;
  if (state.estimate === null || state.estimate <= 0) {
    return `${state.label.padEnd(10)} ${number(state.events)} events  ${rate}`;
  }
  // the estimate is the live projection's count; the log may have grown since
  const ratio = Math.min(state.events / state.estimate, 0.99);
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${state.label.padEnd(10)} ${bar} ${percent}  ${number(state.events)} / ${number(state.estimate)} events  ${rate}`;
};

export const formatDone = (label: string, events: number, elapsedMs: number): string =>
  `${label.padEnd(10)} rebuilt: ${number(events)} events in ${(elapsedMs / 1000).toFixed(1)} s (${number(
    rateOf({ label, events, estimate: null, elapsedMs }),
  )} events/s)`;

export type ProgressOutput = Readonly<{ write(text: string): void; isTTY: boolean }>;

/**
 * A progress line on stderr: redrawn in place on a terminal (at most 10 times a second), one
 * line a second otherwise, so logs of a scripted rebuild stay readable.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private shownAt = 0;
  private shown = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly label: string,
  ) {}

  update(events: number, estimate: number | null): void {
    const now = Date.now();
    if (now - this.shownAt < (this.out.isTTY ? 100 : 1_000)) return;
    this.shownAt = now;
    const line = formatProgress({
      label: this.label,
      events,
      estimate,
      elapsedMs: now - this.started,
    });
    this.out.write(this.out.isTTY ? `\r${line}\u001b[K` : `${line}\n`);
    this.shown = true;
  }

  done(events: number): void {
    const line = formatDone(this.label, events, Date.now() - this.started);
    this.out.write(this.out.isTTY && this.shown ? `\r${line}\u001b[K\n` : `${line}\n`);
  }

  failed(): void {
    if (this.out.isTTY && this.shown) this.out.write('\n');
  }
}
