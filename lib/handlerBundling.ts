import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How every handler is bundled: the stack uses these options, and so does the benchmark, so what is
 * measured is what is deployed.
 *
 * ESM and `module` before `main` let esbuild take the AWS SDK's ES builds and drop what a handler
 * never calls; the SDK is bundled rather than taken from the runtime, so a handler runs the SDK
 * version it was tested with and loads one file. The banner gives CommonJS code inside the bundle
 * the `require` that ESM lacks. The aliases swap the SDK's default credential chain for its one link
 * that answers in Lambda (lambdas/lambdaCredentials.ts says why), and Middy's import of web streams
 * for one that loads them only if asked (lambdas/lazyWebStreams.ts); they are relative to the
 * project root, where both the CDK and the benchmark run esbuild.
 */
export const handlerEsbuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: {
    js: "import{createRequire as __athosRequire}from'node:module';const require=__athosRequire(import.meta.url);",
  },
  legalComments: 'none',
  alias: {
    '@aws-sdk/credential-provider-node': './lambdas/lambdaCredentials.ts',
    'node:stream/web': './lambdas/lazyWebStreams.ts',
  },
} satisfies BuildOptions;

/** The same options in the shape `NodejsFunction` takes; bundled with the local esbuild, no Docker. */
export const handlerBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: handlerEsbuildOptions.target,
  minify: handlerEsbuildOptions.minify,
  sourceMap: handlerEsbuildOptions.sourcemap,
  mainFields: [...handlerEsbuildOptions.mainFields],
  banner: handlerEsbuildOptions.banner.js,
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
  esbuildArgs: {
    '--legal-comments': handlerEsbuildOptions.legalComments,
    '--alias': Object.entries(handlerEsbuildOptions.alias).map(([name, path]) => `${name}=${path}`),
  },
};
