import { EmailAddressAliasProps } from '../../lib';
import { INSTANCE_ID } from '../fixtures/environment';
import { CloudFormationApiEmulator } from './cloudformation-api-emulator';
import { CloudFormationDriver, Delivery } from './cloudformation-driver';
import { ConnectEmulator, ConnectEmulatorOptions } from './connect-emulator';
import { recordFigures } from './integration-figures';
import { integrationFixture } from './integration-fixture';
import { localLambdaEnvironment } from './lambda-environment';
import { checkDelivery } from './response-checks';
import { ResponseReceiver } from './response-receiver';
import { SelfSignedCertificate } from './self-signed-certificate';
import { SynthesizedAlias } from './synthesized-alias';

/**
 * The service's answers to "associate a pair that is associated" and "disassociate a pair
 * that is not", and whether an address without alias lists `AliasConfigurations: []` or
 * nothing, are not documented: sequences that meet them run against both variants.
 */
const UNDOCUMENTED_BEHAVIOURS: ReadonlyArray<[string, ConnectEmulatorOptions]> = [
  [
    'conflict / not-found errors',
    {
      associateExistingError: 'ResourceConflictException',
      disassociateAbsentError: 'ResourceNotFoundException',
      ruleBrokenError: 'ResourceConflictException',
      aliasConfigurationsWhenNone: 'empty',
    },
  ],
  [
    'invalid-request errors',
    {
      associateExistingError: 'InvalidRequestException',
      disassociateAbsentError: 'InvalidRequestException',
      ruleBrokenError: 'InvalidRequestException',
      aliasConfigurationsWhenNone: 'absent',
    },
  ],
];

/** Everything one sequence plays with; nothing is shared with another sequence but the code. */
export interface SequenceWorld {
  readonly emulator: ConnectEmulator;
  readonly receiver: ResponseReceiver;
  readonly cloudFormation: CloudFormationDriver;
  /** What CloudFormation's API answers the handler; the driver keeps it, a sequence may stage more. */
  readonly cloudFormationApi: CloudFormationApiEmulator;
  /** Synthesizes the stack with this alias declared, as the template CloudFormation would deploy. */
  alias(props: EmailAddressAliasProps): SynthesizedAlias;
  /** Adds email addresses to the instance INSTANCE_ID. */
  addEmailAddresses(...emailAddressIds: string[]): void;
  /** Every association among the added addresses, as "primary <- alias" (mail to alias goes to primary). */
  associations(): string[];
  /** Associate and disassociate requests that reached the emulator, answered or not. */
  mutatingRequests(): number;
}

export interface SequenceOptions {
  readonly emulator?: ConnectEmulatorOptions;
  /** The function's timeout: short, so that sequences about deadlines run in seconds. */
  readonly functionTimeoutMs?: number;
  /** How long jest lets the whole sequence run. */
  readonly testTimeoutMs?: number;
}

const DEFAULT_FUNCTION_TIMEOUT_MS = 8_000;

/** For sequences that wait out the 20 s contention window and restore what was in place after it. */
export const PAST_CONTENTION_WINDOW: SequenceOptions = { functionTimeoutMs: 60_000, testTimeoutMs: 90_000 };

/** Declares the sequence once for each variant of what Connect's documentation leaves open. */
export function sequenceUnderEachBehaviour(name: string, options: SequenceOptions, body: (world: SequenceWorld) => Promise<void>): void {
  for (const [behaviour, emulator] of UNDOCUMENTED_BEHAVIOURS) {
    sequence(`${name} [Connect answering with ${behaviour}]`, { ...options, emulator: { ...emulator, ...options.emulator } }, body);
  }
}

/**
 * Declares one sequence, run concurrently with the others of its describe block (jest runs
 * blocks one after the other, so keep sequences at the top level) in fresh servers. Every
 * delivery passes the shared response checks; the figures are recorded when the sequence passes.
 */
export function sequence(name: string, options: SequenceOptions, body: (world: SequenceWorld) => Promise<void>): void {
  const functionTimeoutMs = options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
  test.concurrent(
    name,
    async () => {
      const shared = await integrationFixture();
      const emulator = await ConnectEmulator.start(options.emulator);
      const cloudFormationApi = await CloudFormationApiEmulator.start();
      const receiver = await ResponseReceiver.start({ tls: shared.certificate });
      let responses = 0;
      try {
        const cloudFormation = new CloudFormationDriver({
          code: shared.code,
          responses: receiver,
          timeoutMs: functionTimeoutMs,
          environment: functionEnvironment(emulator.endpoint, cloudFormationApi.endpoint, shared.certificate),
          api: cloudFormationApi.state,
          onDelivery: (delivery: Delivery) => {
            checkDelivery(delivery);
            responses += 1;
          },
        });
        const added: string[] = [];
        await body({
          emulator,
          receiver,
          cloudFormation,
          cloudFormationApi,
          alias: shared.synthesize,
          addEmailAddresses: (...ids) => {
            ids.forEach((id) => emulator.addEmailAddress(INSTANCE_ID, id));
            added.push(...ids);
          },
          associations: () =>
            added.flatMap((primary) => emulator.aliasesOf(INSTANCE_ID, primary).map((alias) => `${primary} <- ${alias}`)),
          mutatingRequests: () =>
            emulator.calls.filter(
              (call) => call.operation === 'AssociateEmailAddressAlias' || call.operation === 'DisassociateEmailAddressAlias',
            ).length,
        });
        const faults = emulator.calls.filter((call) => call.fault !== undefined).length + receiver.refusedCount;
        recordFigures({ sequences: 1, faults, responses });
      } finally {
        await Promise.all([emulator.stop(), cloudFormationApi.stop(), receiver.stop()]);
      }
    },
    options.testTimeoutMs ?? 60_000,
  );
}

/** What Lambda would set, pointed at the local servers, trusting the receiver's certificate. */
function functionEnvironment(connectEndpoint: string, cloudFormationEndpoint: string, certificate: SelfSignedCertificate): Record<string, string> {
  return {
    ...localLambdaEnvironment(connectEndpoint, cloudFormationEndpoint),
    NODE_EXTRA_CA_CERTS: certificate.certificatePath,
    // As a stack with connectRequestsPerSecond: 20 sets it: the worker's pace after a throttle
    // fits the sequences' few-second functions, as Connect's default pace fits the 2-minute one.
    CONNECT_REQUESTS_PER_SECOND: '20',
  };
}
