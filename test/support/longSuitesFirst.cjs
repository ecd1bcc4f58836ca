// Jest loads its test sequencer outside its module system, as it does the global setup.
const { sep } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites that run longest, longest first. Jest orders a suite it has not timed yet (every
 * suite on a fresh clone, which is how CI runs) by file size; the concurrency suite is a small file
 * that runs for a minute and a half, so it started last and ran alone at the end while the other
 * worker idled. These start first; the rest follow in Jest's own order.
 */
const longSuites = [
  'test/cli/adminCli.test.ts',
  'test/security/concurrency.test.ts',
  'test/security/dynamoStalls.test.ts',
  'test/cli/webhookCli.test.ts',
  'test/security/fuzzing.test.ts',
];

const rankOf = (test) => longSuites.findIndex((suite) => test.path.split(sep).join('/').endsWith(suite));

class LongSuitesFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const long = ordered.filter((test) => rankOf(test) >= 0).sort((a, b) => rankOf(a) - rankOf(b));
    return [...long, ...ordered.filter((test) => rankOf(test) < 0)];
  }
}

module.exports = LongSuitesFirst;
