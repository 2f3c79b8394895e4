/** A table stream record's image as the item it is: Lambda hands it over as DynamoDB JSON, the shape the SDK's own type describes. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export const itemFromStreamImage = (image: Record<string, unknown>): Record<string, unknown> => unmarshall(image as Record<string, AttributeValue>);
