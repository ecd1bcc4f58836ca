import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AthosExternalApiStack } from './athosExternalApiStack.js';
import type { StageConfig } from './stageConfig.js';

export interface BuildAppOptions {
  readonly config: StageConfig;
  readonly projectRoot: string;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

/**
 * The stack and the cdk-nag AwsSolutions checks, added to an app: what `bin/app.ts` deploys and
 * what the template tests synthesize. Each accepted finding is acknowledged, with its reason, in
 * the construct that made the choice.
 */
export const buildApp = (app: App, options: BuildAppOptions): AthosExternalApiStack => {
  const stack = new AthosExternalApiStack(app, `AthosExternalApi-${options.config.stageName}`, {
    config: options.config,
    projectRoot: options.projectRoot,
    env: { account: options.account, region: options.region },
    description: `Athos External API (${options.config.stageName})`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
