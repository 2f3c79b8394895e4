import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { HEALTH_PARTITION } from '../../shared/data/keys';
import type { FunctionAccess } from '../../shared/http/routes';

/**
 * What the data layer (shared/data) asks of the table, and nothing more: no Scan, no batch
 * writes, no table management (grantReadWriteData would add all three). A transaction needs
 * no action of its own: IAM checks each of its items as the Put, Update, Delete or
 * ConditionCheck it is.
 */
export const TABLE_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
export const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'] as const;

export type TableAccess = FunctionAccess['table'];

/** GET /health's one read (functions/http/health.ts): GetItem of the health item, on the table only. */
const grantHealthCheck = (table: ITable, grantee: IGrantable): void => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [HEALTH_PARTITION] } },
    }),
  );
};

/**
 * Grants the reads (on the table and its indexes), and the writes when `access` says so; `health` only the health check's one read;
 * a list of actions those actions only.
 */
export const grantTableAccess = (table: ITable, grantee: IGrantable, access: TableAccess): void => {
  if (access === 'health') grantHealthCheck(table, grantee);
  else if (typeof access !== 'string') table.grant(grantee, ...access.map((a) => `dynamodb:${a}`));
  else table.grant(grantee, ...TABLE_READS, ...(access === 'write' ? TABLE_WRITES : []));
};
