// A jest reporter that says every skipped test and its reason, and with CI=true fails the run
// when a test was skipped for a reason not on the allow-list (test/support/skips.ts). Plain
// JavaScript: jest loads reporters without a transform.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const allowedReasons = () => {
  const source = readFileSync(path.join(__dirname, 'skips.ts'), 'utf8');
  const list = source.slice(source.indexOf('ALLOWED_SKIPS'), source.indexOf('} as const'));
  return [...list.matchAll(/^\s+\w+: '([^']+)',?$/gm)].map((match) => match[1]);
};

const reasonOf = (test) => /\[skipped: ([^\]]+)\]/.exec(test.fullName)?.[1] ?? null;

class SkipReporter {
  constructor(globalConfig) {
    // a run filtered by test name skips the rest on purpose
    this.filtered = Boolean(globalConfig?.testNamePattern);
    this.error = undefined;
  }

  onRunComplete(_contexts, results) {
    const allowed = allowedReasons();
    const skipped = results.testResults.flatMap((file) =>
      file.testResults
        .filter((test) => ['pending', 'skipped', 'todo', 'disabled'].includes(test.status))
        .map((test) => ({
          file: path.relative(process.cwd(), file.testFilePath),
          name: test.fullName,
          reason: reasonOf(test),
        })),
    );
    if (skipped.length === 0 || this.filtered) return;
    const isAllowed = (test) => test.reason !== null && allowed.includes(test.reason);
    const groups = new Map();
    for (const test of skipped) {
      const key = `${isAllowed(test) ? '○' : '✕'} ${test.file}: ${test.reason ?? 'no reason given'}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const lines = [...groups].map(([key, n]) => `  ${key} (${n} test${n === 1 ? '' : 's'})`);
    process.stderr.write(`\nskipped tests (${skipped.length}):\n${lines.join('\n')}\n`);
    const refused = skipped.filter((test) => !isAllowed(test));
    if (process.env.CI === 'true' && refused.length > 0) {
      this.error = new Error(
        `${refused.length} test(s) skipped in CI for a reason not on the allow-list in test/support/skips.ts`,
      );
      process.stderr.write(`${this.error.message}\n`);
    }
  }

  getLastError() {
    return this.error;
  }
}

module.exports = SkipReporter;
