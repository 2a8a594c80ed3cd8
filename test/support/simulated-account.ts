/**
 * What the stacks of one run share, as the stacks of one AWS account and region do: Lambda's
 * concurrency, SQS, and CloudFormation's API (each stack's scheduler keeps its own stack's
 * status there). Amazon Connect and its quota are the run's own emulator.
 */
import { CloudFormationApiEmulator } from './cloudformation-api-emulator';
import { ConcurrencyPool } from './lambda-concurrency';
import { SqsEmulator } from './sqs-emulator';

export interface SimulatedAccountOptions {
  /** The account's Lambda concurrency; undefined for no limit. */
  readonly lambdaConcurrency?: number;
  /** Lambda's and CloudFormation's own delays are this many times shorter. Default 1. */
  readonly timeScale?: number;
}

export class SimulatedAccount {
  static async start(options: SimulatedAccountOptions = {}): Promise<SimulatedAccount> {
    const [sqs, cloudFormation] = await Promise.all([SqsEmulator.start(), CloudFormationApiEmulator.start()]);
    return new SimulatedAccount(new ConcurrencyPool(options.lambdaConcurrency), sqs, cloudFormation, options.timeScale ?? 1);
  }

  private constructor(
    readonly lambda: ConcurrencyPool,
    readonly sqs: SqsEmulator,
    readonly cloudFormation: CloudFormationApiEmulator,
    readonly timeScale: number,
  ) {}

  async stop(): Promise<void> {
    await Promise.all([this.sqs.stop(), this.cloudFormation.stop()]);
  }
}
