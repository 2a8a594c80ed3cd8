/**
 * The tag keys with which the handler records, on a primary email address, which declarations
 * hold its alias (see lambda/ownership.ts). The construct allows the role to set and remove
 * these keys and no others: Amazon Connect's tag-based access control reads resource tags to
 * decide what agents and administrators may use. Keep it free of aws-cdk-lib imports: it is
 * bundled into the handler.
 */
export const OWNERSHIP_TAG_PREFIX = 'ConnectEmailAddressAlias:';
