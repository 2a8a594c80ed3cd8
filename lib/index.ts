export { EmailAddressAlias, EmailAddressAliasProps } from './email-address-alias';
export { ConnectReferenceError } from './connect-reference';
