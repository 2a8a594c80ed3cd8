export { EmailAddressAlias, EmailAddressAliasProps } from './email-address-alias';
