import { QueryDefinition, QueryString, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes } from '../../lambdas/http/routes.js';

export interface LogQueriesProps {
  /** Where the saved queries are filed in the Logs Insights console. */
  readonly folder: string;
  /**
   * Every function's log group: one `request` line per API request, one `invocation` line per
   * back-office invocation (queue and stream consumers, the simulator).
   */
  readonly functionLogs: readonly ILogGroup[];
  /** The API's access log: one line per request, those the gateway answered itself included. */
  readonly accessLogs: ILogGroup;
}

/** Every request ends with one line of this message; metric lines say `metrics`. */
const requestLines = 'message = "request"';
/** Every back-office invocation ends with one line of this message, at `error` when it failed. */
const invocationLines = 'message = "invocation"';

/**
 * Saved Logs Insights queries for the questions an operator asks most: how much each tenant used
 * and how much failed, why requests were refused, which route is slow, and what became of one
 * request, and how the back office (call events, webhooks, the simulator) is keeping up. They read
 * the `request` and `invocation` lines (docs/observability.md lists their fields); each opens ready
 * to run on the right log groups, for the time range the console is set to.
 */
export class LogQueries extends Construct {
  readonly queries: readonly QueryDefinition[];

  constructor(scope: Construct, id: string, props: LogQueriesProps) {
    super(scope, id);
    const logGroups = [...props.functionLogs];
    const query = (name: string, queryString: QueryString, groups: ILogGroup[] = logGroups) =>
      new QueryDefinition(this, name.replace(/[^A-Za-z0-9]/g, ''), {
        queryDefinitionName: `${props.folder}/${name}`,
        queryString,
        logGroups: groups,
      });

    this.queries = [
      query(
        'Requests and errors per tenant',
        new QueryString({
          // floor(status / 500) is 1 for a 5XX and 0 below; the difference with / 400 is 1 for a 4XX.
          fields: ['floor(status / 400) - floor(status / 500) as refused', 'floor(status / 500) as failed'],
          filterStatements: [requestLines],
          statsStatements: ['count(*) as requests, sum(refused) as refusals, sum(failed) as serverErrors by tenantId'],
          sort: 'requests desc',
        }),
      ),
      query(
        'Sessions minted and redeemed per tenant',
        new QueryString({
          filterStatements: [
            `${requestLines} and status = 200 and operation in ["${routes.mintSession.operationId}", "${routes.redeemSession.operationId}"]`,
          ],
          statsStatements: ['count(*) as sessions by tenantId, operation'],
          sort: 'tenantId asc',
        }),
      ),
      query(
        'Refusals by code',
        new QueryString({
          filterStatements: [`${requestLines} and status >= 400 and status < 500`],
          statsStatements: ['count(*) as refusals by code, operation, tenantId'],
          sort: 'refusals desc',
        }),
      ),
      query(
        'Latency by route',
        new QueryString({
          filterStatements: [requestLines],
          statsStatements: [
            'count(*) as requests, pct(durationMs, 50) as p50, pct(durationMs, 99) as p99, max(durationMs) as slowest by operation',
          ],
          sort: 'p99 desc',
        }),
      ),
      query(
        'Slowest requests',
        new QueryString({
          fields: ['@timestamp', 'operation', 'tenantId', 'status', 'durationMs', 'coldStart', 'requestId', 'traceId'],
          filterStatements: [requestLines],
          sort: 'durationMs desc',
          limit: 50,
        }),
      ),
      query(
        'One request by request id',
        new QueryString({
          fields: ['@timestamp', '@log', 'level', 'message', 'status', 'code', 'durationMs', 'errorName', 'traceId'],
          // The id from X-Athos-Request-Id without its `req_`: the gateway's access log has it bare.
          filterStatements: ['requestId like "PASTE-THE-ID-AFTER-req_"'],
          sort: '@timestamp asc',
        }),
        [...logGroups, props.accessLogs],
      ),
      query(
        'Back-office invocations by function',
        new QueryString({
          filterStatements: [invocationLines],
          // By level too: the `error` row of a function is its failed invocations.
          statsStatements: [
            'count(*) as invocations, sum(records) as records, sum(leftOnQueue) as leftOnQueue, pct(durationMs, 99) as p99, max(durationMs) as slowest by operation, level',
          ],
          sort: 'operation asc',
        }),
      ),
      query(
        'Back-office failures',
        new QueryString({
          fields: [
            '@timestamp',
            'operation',
            'message',
            'errorName',
            'error',
            'cause',
            'messageId',
            'receiveCount',
            'eventID',
            'durationMs',
            'awsRequestId',
            'traceId',
          ],
          // Failed invocations, and the records that failed inside one (the batch or stream retries them).
          filterStatements: ['level = "error" and message != "request"'],
          sort: '@timestamp desc',
          limit: 100,
        }),
      ),
    ];
  }
}
