import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/buildApp.js';
import { readStageConfig } from '../lib/stageConfig.js';

/** The CDK app: the only place that reads context and the environment. */
const app = new App();
buildApp(app, {
  config: readStageConfig((key) => app.node.tryGetContext(key)),
  projectRoot: process.cwd(),
  // Unset without credentials: the template then synthesizes for any account and region.
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
