import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { routeList } from '../../lambdas/http/routes.js';
import { handlerEsbuildOptions } from '../../lib/handlerBundling.js';

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
}

/**
 * The yardstick: what any handler must load anyway, the DynamoDB document client and one GetItem
 * (to DynamoDB Local when DYNAMODB_ENDPOINT says so, as the handlers do). It is bundled twice:
 * with the stack's options, our aliases included (the SDK floor, against which what our own code
 * adds is measured), and without our aliases (the SDK as it ships: the reference the issue's
 * ratio budgets were written against, before the credential alias took 135 KB off both).
 */
const referenceSource = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const endpoint = process.env.DYNAMODB_ENDPOINT;
const db = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}));
export const handler = async () => db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'x', sk: 'y' } }));
`;

const handlersDirectory = 'lambdas/handlers';

/**
 * Every function the stack deploys (each file of lambdas/handlers is one), named by its operationId
 * when it serves a route, and the reference as the SDK floor, bundled with exactly the options the
 * stack deploys with; and the reference as the SDK ships, with the same options but our aliases.
 */
export const buildBundles = async (
  directory: string,
): Promise<{ reference: Bundle; sdkAsShipped: Bundle; handlers: Bundle[] }> => {
  mkdirSync(directory, { recursive: true });
  const bundle = async (
    name: string,
    entry: string,
    options: BuildOptions = handlerEsbuildOptions,
  ): Promise<Bundle> => {
    const file = join(directory, `${name}.mjs`);
    const result = await build({
      ...options,
      entryPoints: [entry],
      outfile: file,
      logLevel: 'warning',
      metafile: true,
    });
    return { name, file, bytes: Object.values(result.metafile?.outputs ?? {})[0]?.bytes ?? 0 };
  };
  const referenceEntry = join(directory, 'reference.ts');
  writeFileSync(referenceEntry, referenceSource);
  const reference = await bundle('reference', referenceEntry);
  const { alias: _ours, ...asShipped } = handlerEsbuildOptions;
  const sdkAsShipped = await bundle('sdkAsShipped', referenceEntry, asShipped);
  const handlers: Bundle[] = [];
  for (const file of readdirSync(handlersDirectory)
    .filter((name) => name.endsWith('.ts'))
    .sort()) {
    const entry = join(handlersDirectory, file);
    const route = routeList.find((candidate) => candidate.entry === entry);
    handlers.push(await bundle(route?.operationId ?? basename(file, '.ts'), entry));
  }
  return { reference, sdkAsShipped, handlers };
};
