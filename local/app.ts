import { resolve } from 'node:path';
import type { Server } from 'node:http';
import { useEnvironment } from '../lambdas/environment.js';
import { routeList, type Route } from '../lambdas/http/routes.js';
import { parseKeySet } from '../lambdas/tokens/keySet.js';
import { keySetSettings, type KeyName } from '../lambdas/tokens/loadKeySet.js';
import { publicJwks } from '../lambdas/tokens/ticketKeys.js';
import { createGateway, type GatewayOptions, type LoadedRoute, type ProxyHandler } from './gateway.js';

/**
 * The deployed handlers, unchanged, behind the local gateway: what `npm start` serves and what the
 * integration tests call.
 */
export interface LocalApiSettings {
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** Key set JSON per key name (`{"kid","key"}`), given to the handlers inline. */
  readonly keys: Record<KeyName, string>;
  readonly allowedOrigins?: readonly string[];
  readonly connectionUrl?: string;
  /** How long one DynamoDB attempt may take to connect, and then to be answered; unset, the patient local defaults. */
  readonly dynamoTimeoutMs?: number;
  /** More of the handlers' environment (the call-events queues: `local/callEvents.ts`). */
  readonly environment?: Record<string, string>;
  /** Wraps a route's handler, e.g. so the simulator hears of each redeem. */
  readonly wrapHandler?: (route: Route, handler: ProxyHandler) => ProxyHandler;
  /** The handlers' LOG_LEVEL (`debug`, `info`, `warn`, `error` or `silent`); unset, `info`. */
  readonly logLevel?: string;
}

/**
 * The environment a handler reads at cold start, as the stack sets it in AWS (there the keys are
 * Secrets Manager ARNs, never inline).
 */
export const handlerEnvironment = (settings: LocalApiSettings): Record<string, string> => {
  const env: Record<string, string> = {
    TABLE_NAME: settings.tableName,
    DYNAMODB_ENDPOINT: settings.dynamoEndpoint,
    AWS_REGION: 'us-east-1',
    ALLOWED_ORIGINS: (settings.allowedOrigins ?? ['*']).join(','),
    ...(settings.connectionUrl ? { CONNECTION_URL: settings.connectionUrl } : {}),
    ...(settings.dynamoTimeoutMs ? { DYNAMODB_TIMEOUT_MS: String(settings.dynamoTimeoutMs) } : {}),
    ...settings.environment,
    ...(settings.logLevel ? { LOG_LEVEL: settings.logLevel } : {}),
  };
  for (const [name, keySet] of Object.entries(settings.keys)) env[keySetSettings(name as KeyName).inline] = keySet;
  return env;
};

/**
 * Gives the handlers their environment, then loads each handler module of the route table. A
 * module loads once per process (per test file under Jest): the first settings are the ones kept.
 */
export const loadHandlers = async (settings: LocalApiSettings): Promise<LoadedRoute[]> => {
  useEnvironment(handlerEnvironment(settings));
  return Promise.all(
    routeList.map(async (route) => {
      const module = (await import(resolve(route.entry))) as { handler: ProxyHandler };
      return { route, handler: settings.wrapHandler?.(route, module.handler) ?? module.handler };
    }),
  );
};

export const createLocalApi = async (
  settings: LocalApiSettings,
  options: Omit<GatewayOptions, 'routes' | 'allowedOrigins' | 'connectionTicketJwks'> = {},
): Promise<Server> =>
  createGateway({
    ...options,
    routes: await loadHandlers(settings),
    allowedOrigins: settings.allowedOrigins ?? ['*'],
    connectionTicketJwks: publicJwks(parseKeySet('connectionTicket', settings.keys.connectionTicket)),
  });
