import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../lib/buildApp.js';
import { readStageConfig } from '../../lib/stageConfig.js';
import { synthesizeTemplateOnly } from './synth.js';

describe('cdk-nag (AwsSolutions)', () => {
  it('finds nothing that is not acknowledged with a reason', () => {
    expect(() => synthesizeTemplateOnly()).not.toThrow();
  });

  it('finds nothing either with every optional setting in use', () => {
    expect(() =>
      synthesizeTemplateOnly({
        'athos:alarmEmail': 'oncall@example.com',
        'athos:domainName': 'api.example.com',
        'athos:certificateArn': 'arn:aws:acm:eu-west-1:123456789012:certificate/0000',
        'athos:webAclArn': 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/athos/0000',
        'athos:allowedOrigins': 'https://a.example,https://b.example',
      }),
    ).not.toThrow();
  });

  it('fails synthesis for a finding nobody acknowledged', () => {
    // Without bundling, as synthesizeTemplateOnly does: the finding is in the template, not the code.
    const app = new App({ context: { 'athos:stageName': 'nagcheck', 'aws:cdk:bundling-stacks': [] } });
    const stack = buildApp(app, {
      config: readStageConfig((key) => app.node.tryGetContext(key)),
      projectRoot: process.cwd(),
    });
    new Secret(stack, 'Unacknowledged');

    expect(() => app.synth()).toThrow(/AwsSolutions-SMG4|rotation/);
  });
});

describe('stage settings', () => {
  it.each([
    ['athos:sessionTokenTtlSeconds', '5'],
    ['athos:allowedOrigins', 'not an origin'],
    ['athos:logRetentionDays', '17'],
    ['athos:connectionUrl', 'ftp://voice.example'],
    ['athos:routeThrottling', '{"noSuchRoute":{"rateLimit":1,"burstLimit":1}}'],
  ])('refuses a bad %s, naming it', (key, value) => {
    expect(() => readStageConfig((name) => (name === key ? value : undefined))).toThrow(key);
  });

  it('reads numbers and JSON given on the command line as text', () => {
    const config = readStageConfig(
      (name) =>
        ({ 'athos:sessionTokenTtlSeconds': '120', 'athos:throttling': '{"rateLimit":5,"burstLimit":10}' })[name],
    );
    expect(config).toMatchObject({ sessionTokenTtlSeconds: 120, throttling: { rateLimit: 5, burstLimit: 10 } });
  });

  it('wants a custom domain and its certificate together', () => {
    expect(() => readStageConfig((name) => (name === 'athos:domainName' ? 'api.example.com' : undefined))).toThrow(
      'athos:certificateArn',
    );
  });
});
