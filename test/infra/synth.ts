import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/buildApp.js';
import { readStageConfig } from '../../lib/stageConfig.js';

/** The app exactly as `bin/app.ts` builds it, with the given context, synthesized to a temp folder. */
export const synthesize = (context: Record<string, unknown> = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'athos-cdk-'));
  // The CDK CLI asks for asset paths in the template metadata; the tests read bundles through them.
  const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:enable-asset-metadata': true, ...context } });
  const stack = buildApp(app, {
    config: readStageConfig((key) => app.node.tryGetContext(key)),
    projectRoot: process.cwd(),
    region: 'eu-west-1',
    account: '123456789012',
  });
  const assembly = app.synth();
  return { stack, template: Template.fromStack(stack), outdir, assembly };
};

/**
 * The same app for a test that reads the template, not the bundles: NodejsFunction skips esbuild
 * (a second or so per function on a busy machine), and every resource is as `synthesize` makes it.
 */
export const synthesizeTemplateOnly = (context: Record<string, unknown> = {}) =>
  synthesize({ 'aws:cdk:bundling-stacks': [], ...context });

/** The context cdk.json gives a deploy. */
const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;

/** The bundled handler file of a function's code asset. */
export const bundleOf = (outdir: string, assetPath: string): string => {
  const directory = join(outdir, assetPath);
  const file = readdirSync(directory).find((name) => name.endsWith('.mjs'));
  if (!file) throw new Error(`no .mjs bundle in ${directory}`);
  return readFileSync(join(directory, file), 'utf8');
};
