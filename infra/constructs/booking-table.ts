import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { projectionOf, TABLE } from '../../shared/data/table';

export interface BookingTableProps {
  /** Refuse `DeleteTable` (production). */
  deletionProtection: boolean;
}

/**
 * The single DynamoDB table, built from `TABLE` in shared/data/table.ts (the same object the
 * local stack and the tests create their tables from), so key and index names cannot drift.
 * On-demand, point-in-time recovery on, kept when the stack is deleted. The name is left to
 * CloudFormation; functions learn it from their environment.
 */
export class BookingTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: BookingTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: TABLE.ttlAttribute,
      stream: StreamViewType[TABLE.streamViewType],
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...((p) => (p.ProjectionType === 'ALL' ? { projectionType: ProjectionType.ALL } : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: p.NonKeyAttributes }))(
          projectionOf(index),
        ),
      });
    }
  }
}
