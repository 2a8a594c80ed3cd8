/**
 * Everything an invocation benchmark runs against, on 127.0.0.1 only: the Connect emulator,
 * CloudFormation's API (showing each event's resource waiting for it) and response receiver,
 * and the compiled child with the handler's copy.
 */
import { INSTANCE_ID, TEST_ENVIRONMENT } from '../test/fixtures/environment';
import { CloudFormationApiEmulator } from '../test/support/cloudformation-api-emulator';
import { ConnectEmulator } from '../test/support/connect-emulator';
import { ResponseReceiver } from '../test/support/response-receiver';
import { EventFactory } from './cloudformation-events';
import { AliasPair, aliasPair } from './fixtures';
import { Workspace } from './handler-process';

// Distinct from the template benchmark's addresses, which are never deployed.
const INVOCATION_SERIES = 2;

export class Harness {
  static async start(bundleDirectory: string): Promise<Harness> {
    const emulator = await ConnectEmulator.start({ region: TEST_ENVIRONMENT.region, account: TEST_ENVIRONMENT.account });
    const cloudFormation = await CloudFormationApiEmulator.start({ region: TEST_ENVIRONMENT.region });
    const receiver = await ResponseReceiver.start();
    const workspace = await Workspace.create(bundleDirectory);
    return new Harness(emulator, cloudFormation, receiver, workspace);
  }

  readonly events: EventFactory;
  private pairsMade = 0;

  private constructor(
    readonly emulator: ConnectEmulator,
    readonly cloudFormation: CloudFormationApiEmulator,
    readonly receiver: ResponseReceiver,
    readonly workspace: Workspace,
  ) {
    this.events = new EventFactory(
      (requestId) => receiver.urlFor(`/cloudformation-response/${requestId}`, 'bench'),
      (event) => cloudFormation.awaiting(event),
    );
  }

  /** Two new addresses in the emulator, not yet associated. */
  newPair(): AliasPair {
    const pair = aliasPair(this.pairsMade++, INVOCATION_SERIES);
    this.emulator.addEmailAddress(INSTANCE_ID, pair.emailAddressId);
    this.emulator.addEmailAddress(INSTANCE_ID, pair.aliasEmailAddressId);
    return pair;
  }

  /** A new alias address for an existing primary. */
  newAliasFor(primary: AliasPair): AliasPair {
    const { aliasEmailAddressId } = aliasPair(this.pairsMade++, INVOCATION_SERIES);
    this.emulator.addEmailAddress(INSTANCE_ID, aliasEmailAddressId);
    return { emailAddressId: primary.emailAddressId, aliasEmailAddressId };
  }

  async stop(): Promise<void> {
    this.workspace.dispose();
    await Promise.all([this.emulator.stop(), this.cloudFormation.stop(), this.receiver.stop()]);
  }
}
