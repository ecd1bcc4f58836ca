import { resolve } from 'node:path';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Route, TableAccess } from '../../lambdas/http/routes.js';
import { tableAccessPolicies, type TableAccessPolicy } from '../../lambdas/store/tableAccess.js';
import { tableDefinition } from '../../lambdas/store/tableDefinition.js';
import { keySetSettings, type KeyName } from '../../lambdas/tokens/loadKeySet.js';
import type { StageConfig } from '../stageConfig.js';
import { ApiFunction } from './apiFunction.js';

export interface ApiHandlersProps {
  readonly routes: readonly Route[];
  readonly table: ITable;
  readonly secrets: Record<KeyName, ISecret>;
  readonly config: StageConfig;
  readonly logRetention: RetentionDays;
  /** Where the route table's `entry` paths start. */
  readonly projectRoot: string;
}

/**
 * One function per route, each allowed exactly what its operation does: the DynamoDB actions of its
 * route's table access, on items of the named key prefixes only, and the secrets of its keys.
 * A read-only route can write nothing; `GET /calls/{callId}` reads no secret at all.
 */
export class ApiHandlers extends Construct {
  /** By operationId. */
  readonly functions: ReadonlyMap<string, IFunction>;

  constructor(scope: Construct, id: string, props: ApiHandlersProps) {
    super(scope, id);
    const functions = new Map<string, IFunction>();
    for (const route of props.routes) {
      const environment: Record<string, string> = {
        TABLE_NAME: props.table.tableName,
        SESSION_TOKEN_TTL_SECONDS: String(props.config.sessionTokenTtlSeconds),
        CONNECTION_URL: props.config.connectionUrl,
        ALLOWED_ORIGINS: props.config.allowedOrigins.join(','),
      };
      for (const key of route.keys) environment[keySetSettings(key).secretArn] = props.secrets[key].secretArn;

      const fn = new ApiFunction(this, route.operationId, {
        entry: resolve(props.projectRoot, route.entry),
        environment,
        logRetention: props.logRetention,
      });
      for (const access of route.tableAccess) fn.addToRolePolicy(tableStatement(props.table, access));
      for (const key of route.keys) props.secrets[key].grantRead(fn);
      functions.set(route.operationId, fn);
    }
    this.functions = functions;
  }
}

/** Every intent a route may name has its policy. */
const policies: Record<TableAccess, TableAccessPolicy> = tableAccessPolicies;

/** A function's permission for one kind of table access (`lambdas/store/tableAccess.ts`). */
export const tableStatement = (table: ITable, access: TableAccess) => {
  const policy = policies[access];
  return new PolicyStatement({
    actions: [...policy.actions],
    resources:
      policy.on === 'table'
        ? [table.tableArn]
        : tableDefinition.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': policy.leadingKeyPrefixes.map((prefix) => `${prefix}*`) },
      ...(policy.onlyWithin
        ? { 'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': [policy.onlyWithin] } }
        : {}),
      ...(policy.attributes
        ? {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...policy.attributes] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
          }
        : {}),
    },
  });
};
