import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A loopback server certificate that is its own CA, so a client can trust it by file. */
export interface SelfSignedCertificate {
  /** PEM file to hand to a client, e.g. through NODE_EXTRA_CA_CERTS. */
  readonly certificatePath: string;
  readonly certificate: string;
  readonly privateKey: string;
}

/**
 * Makes a throwaway certificate for 127.0.0.1 and ::1 in `directory` with the openssl CLI
 * (node:crypto can make keys but not certificates). The subjectAltName is what a TLS client
 * checks for an IP host; the default `req -x509` extensions mark it CA:TRUE, which Node needs
 * to accept it as a trust anchor.
 */
export function createSelfSignedCertificate(directory: string): SelfSignedCertificate {
  const certificatePath = join(directory, 'loopback-cert.pem');
  const privateKeyPath = join(directory, 'loopback-key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-nodes', '-days', '1',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,IP:::1',
      '-keyout', privateKeyPath,
      '-out', certificatePath,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return {
    certificatePath,
    certificate: readFileSync(certificatePath, 'utf8'),
    privateKey: readFileSync(privateKeyPath, 'utf8'),
  };
}
