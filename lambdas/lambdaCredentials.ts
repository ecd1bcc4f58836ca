/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the Lambda bundles (the alias is in
 * lib/handlerBundling.ts). Lambda hands a function its role's credentials in environment variables,
 * the first link of the SDK's default chain; the other links (SSO, profiles, processes, web
 * identity, container and instance metadata, with the STS and SSO clients they carry) never answer
 * there, yet cost every function about 135 KB of bundle to parse at each cold start.
 * Code run outside Lambda (the admin CLI, `npm start`, tests) keeps the SDK's full chain.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
