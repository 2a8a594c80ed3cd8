/**
 * The physical resource id: chosen once, on Create, and echoed unchanged on every Update and
 * Delete, because a changed id makes CloudFormation delete the "old" resource, which here is
 * the association still in use.
 */
import { createHash } from 'node:crypto';
import type { CloudFormationCustomResourceEventCommon } from 'aws-lambda';

const ID_PREFIX = 'connect-email-address-alias-';
// A failed Create answers with this prefix, so the Delete CloudFormation sends to clean it up
// can be recognised and touch nothing: an association that already existed is someone else's.
const FAILED_CREATE_PREFIX = `${ID_PREFIX}CREATE_FAILED-`;

type CreateIdentity = Pick<CloudFormationCustomResourceEventCommon, 'StackId' | 'LogicalResourceId' | 'RequestId'>;

/** The id of a Create: the same for a redelivery of the same event. */
export function createdPhysicalId(event: CreateIdentity, succeeded: boolean): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([event.StackId, event.LogicalResourceId, event.RequestId]))
    .digest('hex')
    .slice(0, 16);
  return `${succeeded ? ID_PREFIX : FAILED_CREATE_PREFIX}${hash}`;
}

export function isFailedCreateId(physicalResourceId: string): boolean {
  return physicalResourceId.startsWith(FAILED_CREATE_PREFIX);
}

/**
 * Whether the id is one this handler answered a Create with. CloudFormation makes one up for a
 * Create it cancelled before the answer came: the Delete carrying it must remove nothing that
 * existed before (the Create, if it got as far, takes back what it made itself).
 */
export function isIssuedId(physicalResourceId: string): boolean {
  return physicalResourceId.startsWith(ID_PREFIX) && !isFailedCreateId(physicalResourceId);
}
