// Jest loads its test sequencer outside its module system, as it does the global setup.
const { sep } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites that run longest, longest first. Jest orders a suite it has not timed yet (every
 * suite on a fresh clone, which is how CI runs) by file size; the concurrency suite is a small file
 * with long tests, so it started last and ran alone at the end while the other worker idled. These
 * start first (by their times in a fresh-clone `.ci/run`: 50, 49, 29, 28, 26 and 26 s); the rest
 * follow in Jest's own order.
 */
const longSuites = [
  'test/security/dynamoStalls.test.ts',
  'test/cli/adminCli.test.ts',
  'test/security/concurrency.test.ts',
  'test/security/fuzzing.test.ts',
  'test/client/package.test.ts',
  'test/infra/stack.test.ts',
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
