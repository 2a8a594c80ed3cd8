/**
 * The region and service a SigV4 `Authorization` header is scoped to. The emulators do not
 * verify signatures, but checking the scope catches a client built for the wrong region or
 * pointed at the wrong service.
 */

const CREDENTIAL_SCOPE = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,/;

export interface CredentialScope {
  readonly region: string;
  readonly service: string;
}

/** Undefined for a header that is not a SigV4 one. */
export function credentialScopeOf(authorization: string): CredentialScope | undefined {
  const scope = CREDENTIAL_SCOPE.exec(authorization);
  return scope === null ? undefined : { region: scope[1], service: scope[2] };
}
