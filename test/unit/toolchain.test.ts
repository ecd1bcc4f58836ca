import { readFileSync } from 'node:fs';

const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies: { node: string } })
  .optionalDependencies.node;

describe('the toolchain', () => {
  it('runs the npm scripts on the pinned Node.js, the one the AWS SDK keeps supporting', () => {
    // Fails where `npm install` could not install the `node` package and the scripts fell back to
    // the system's Node.js: the tests would then not run on what the Lambda runtime runs.
    expect(process.version).toBe(`v${pinned}`);
  });
});
