import { formatDone, formatProgress } from './progress';

describe('rebuild progress', () => {
  it('draws a bar, the share done and the throughput', () => {
    expect(
      formatProgress({ label: 'dialogs', events: 4_000, estimate: 10_000, elapsedMs: 1_600 }, 10),
    ).toBe('dialogs    [####------]  40%  4,000 / 10,000 events  2,500 events/s');
  });

  it('never shows 100% before the end, when the log grew past the estimate', () => {
    expect(
      formatProgress({ label: 'contacts', events: 12_000, estimate: 10_000, elapsedMs: 1_000 }, 10),
    ).toContain('[##########]  99%');
  });

  it('counts without a bar when there is no estimate', () => {
    expect(formatProgress({ label: 'channels', events: 1_234, estimate: null, elapsedMs: 0 })).toBe(
      'channels   1,234 events  0 events/s',
    );
  });

  it('sums a rebuild up', () => {
    expect(formatDone('dialogs', 50_000, 12_500)).toBe(
      'dialogs    rebuilt: 50,000 events in 12.5 s (4,000 events/s)',
    );
  });
});
