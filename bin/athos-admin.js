#!/usr/bin/env node
// The operator CLI is TypeScript, like the rest of the project; tsx loads it in place.
import { register } from 'tsx/esm/api';

// The SDK's notice about Node.js 20 would bury the one line an operator needs on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./admin/main.ts');
