import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Aspects, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { aliasErrorMessage } from './alias-error-message';
import { type HandlerSettings, type SettingsRequest, resolveSettings } from './handler-settings';
import { acknowledgeNagFinding, nagResourceFinding } from './nag-finding';
import { QUOTA_ENVIRONMENT } from './quota-pacing';
import { inlinePolicyErrors } from './role-policy-size';
import { type DeclaredAlias, stackAliasErrors } from './stack-alias-rules';

// The provider's construct ID, under the stack: fixed, so every alias finds the one provider.
const PROVIDER_ID = 'ConnectEmailAddressAliasProvider';

// The handler bundle as `npm run build` writes it; the same relative path holds from
// lib/ (TypeScript sources) and from dist/ (the compiled package).
const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'handler');

// CloudFormation stops waiting this long after the Lambda deadline, so a handler that
// never answers fails the deploy within minutes instead of an hour. With the Lambda
// maximum of 15 minutes it stays far below ServiceTimeout's limit of 3600 seconds.
const SERVICE_TIMEOUT_MARGIN = Duration.seconds(30);

// Connect actions the handler makes: it reads the primary's state and holders before changing
// it, and marks or unmarks itself as a holder when it adopts or releases an association.
const CONNECT_ACTIONS = [
  'connect:AssociateEmailAddressAlias',
  'connect:DisassociateEmailAddressAlias',
  'connect:DescribeEmailAddress',
  'connect:TagResource',
  'connect:UntagResource',
];

/** One alias as it declares itself to the provider of its stack. */
export interface AliasDeclaration extends DeclaredAlias, SettingsRequest {}

/**
 * The one handler function of a stack and its permissions, shared by every
 * EmailAddressAlias in the stack. Its settings are resolved once all aliases are known, at
 * synthesis, so the order in which aliases are declared does not matter.
 */
export class EmailAddressAliasProvider extends Construct {
  /** The stack's provider, created by the first alias. */
  public static of(scope: Construct): EmailAddressAliasProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID) as EmailAddressAliasProvider | undefined;
    return existing ?? new EmailAddressAliasProvider(stack, PROVIDER_ID);
  }

  /** The function's ARN, for the custom resources' ServiceToken. */
  public readonly serviceToken: string;
  /** The custom resources' ServiceTimeout: seconds CloudFormation waits for an answer, resolved at synthesis. */
  public readonly serviceTimeout: string;

  private readonly declarations: AliasDeclaration[] = [];
  private resolved?: HandlerSettings;
  private resources?: { readonly handler: lambda.Function; readonly role: iam.IRole };
  private ownedRole?: iam.Role;
  private readonly instancePolicies = new Map<string, iam.CfnPolicy>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    if (!fs.existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
      throw new Error(
        `The EmailAddressAlias handler bundle is missing from ${HANDLER_ASSET_DIR}: run \`npm run build\` in the construct library.`,
      );
    }

    // The function, its log group and role are made once every alias has declared itself:
    // whether they are the construct's own or the user's, and the VPC, depend on what the
    // aliases agree on. An Aspect runs before anything is rendered, and the Aspects of the
    // app (a permissions boundary, say) still reach what it makes.
    Aspects.of(this).add({
      visit: (node) => {
        if (node === this) this.build();
      },
    });
    this.serviceToken = Lazy.string({ produce: () => this.built().handler.functionArn });
    // A string, as CustomResource writes it and CloudFormation delivers it.
    this.serviceTimeout = Lazy.string({
      produce: () => String(this.settings.timeout.plus(SERVICE_TIMEOUT_MARGIN).toSeconds()),
    });

    // The errors of the stack's aliases together are thrown, as those of one alias's props are
    // by its constructor, so that `cdk synth` prints both kinds alike. Returned, they would reach
    // the terminal in aws-cdk-lib's validation report, after a line of its minified source.
    this.node.addValidation({
      validate: () => {
        const stack = Stack.of(this);
        this.resolved = resolveSettings(this.declarations, stack.node.path);
        // A role of the user's may hold other policies too: only the construct's own is counted.
        const policyErrors = this.ownedRole ? inlinePolicyErrors(stack, this.ownedRole, [...this.instancePolicies.values()]) : [];
        const errors = [...stackAliasErrors(this.declarations), ...policyErrors.map((message) => aliasErrorMessage(stack.node.path, message))];
        if (errors.length > 0) {
          throw new Error(errors.join('\n'));
        }
        return [];
      },
    });
  }

  /** Makes the function and what it needs, once; see the constructor. */
  private build(): void {
    if (this.resources) {
      return;
    }
    const settings = this.settings;
    const logGroup = settings.logGroup ?? this.ownLogGroup();
    const permissions = handlerPermissions(logGroup, settings.vpc !== undefined);
    const role = settings.role ?? this.ownRole(permissions);
    if (settings.role) {
      // As lambda.Function does: added to a role of the app or a mutable imported one; an
      // immutable role must already allow them.
      for (const statement of [permissions.logs, permissions.network]) {
        if (statement) settings.role.addToPrincipalPolicy(statement);
      }
    }
    const handler = new lambda.Function(this, 'Handler', {
      description: 'Associates Amazon Connect email address aliases (CloudFormation custom resource)',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      handler: 'index.handler',
      runtime: settings.runtime,
      architecture: lambda.Architecture.ARM_64,
      // Pure JavaScript doing a few API calls; more memory mostly speeds up the cold start.
      memorySize: 256,
      role,
      logGroup,
      vpc: settings.vpc,
      vpcSubnets: settings.vpcSubnets,
      securityGroups: settings.securityGroups,
      environment: {
        [QUOTA_ENVIRONMENT.aliasCount]: Lazy.string({ produce: () => String(this.declarations.length) }),
        [QUOTA_ENVIRONMENT.requestsPerSecond]: Lazy.string({ produce: () => String(this.settings.connectRequestsPerSecond) }),
      },
    });
    const cfnFunction = handler.node.defaultChild as lambda.CfnFunction;
    cfnFunction.runtime = Lazy.string({ produce: () => this.settings.runtime.name });
    cfnFunction.timeout = Lazy.number({ produce: () => this.settings.timeout.toSeconds() });
    this.resources = { handler, role };
  }

  /** The function and its role; built now if another Aspect resolves them before the provider's own runs. */
  private built(): { readonly handler: lambda.Function; readonly role: iam.IRole } {
    this.build();
    return this.resources!;
  }

  /** The log group the function logs to unless the aliases give one, with their logRetention. */
  private ownLogGroup(): logs.ILogGroup {
    const logGroup = new logs.LogGroup(this, 'LogGroup', { removalPolicy: RemovalPolicy.DESTROY });
    const cfnLogGroup = logGroup.node.defaultChild as logs.CfnLogGroup;
    cfnLogGroup.retentionInDays = Lazy.number({
      // RetentionDays.INFINITE is written as no retention at all, as LogGroup does.
      produce: () => (this.settings.logRetention === logs.RetentionDays.INFINITE ? undefined : this.settings.logRetention),
    });
    return logGroup;
  }

  /**
   * The function's role unless the aliases give one: an own role without managed policies
   * (AWSLambdaBasicExecutionRole would allow writing to every log group of the account), its
   * permissions inline. The Connect permissions are separate policies, one per instance (see
   * instancePolicy).
   */
  private ownRole({ logs: logStatement, network }: HandlerPermissions): iam.IRole {
    const inline = (statement: iam.PolicyStatement) => new iam.PolicyDocument({ statements: [statement] });
    this.ownedRole = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { Logs: inline(logStatement), ...(network ? { Network: inline(network) } : {}) },
    });
    if (network) {
      acknowledgeNagFinding(this.ownedRole.node.defaultChild as iam.CfnRole, {
        ruleId: 'AwsSolutions-IAM5',
        finding: 'Resource::*',
        reason:
          'Lambda creates and deletes the network interfaces of a function in a VPC with its role, and ' +
          'the EC2 actions it needs take no narrower resource (the permissions of AWSLambdaVPCAccessExecutionRole).',
      });
    }
    return this.ownedRole;
  }

  /** Registers an alias: its settings and addresses count once all aliases are known. */
  public declare(declaration: AliasDeclaration): void {
    this.declarations.push(declaration);
  }

  /**
   * The resolved settings. Tokens are resolved before validation runs, so settings that do not
   * resolve give way to the defaults here, and the validation reports why, naming the aliases.
   */
  private get settings(): HandlerSettings {
    if (this.resolved === undefined) {
      const stackPath = Stack.of(this).node.path;
      try {
        this.resolved = resolveSettings(this.declarations, stackPath);
      } catch {
        return resolveSettings([], stackPath);
      }
    }
    return this.resolved;
  }

  /**
   * The policy that lets the handler manage the email addresses of an instance, for the
   * instance's aliases to depend on. A separate resource rather than a statement of the
   * role: CloudFormation updates the role before the aliases' updates and deletes removed
   * aliases only in cleanup, so a permission taken out of the role would be gone when the
   * Delete or the Update (and its rollback) of an alias of that instance still needs it.
   * A policy depended on is created before its aliases and deleted after them. One per
   * distinct instance, so the policies do not grow with the number of aliases.
   *
   * @param instanceId the plain instance ID, a literal or a CloudFormation expression
   */
  public instancePolicy(instanceId: string): iam.CfnPolicy {
    const stack = Stack.of(this);
    const key = JSON.stringify(stack.resolve(instanceId));
    const existing = this.instancePolicies.get(key);
    if (existing) {
      return existing;
    }
    const emailAddresses = stack.formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: `${instanceId}/email-address/*`,
    });
    // A direct child of the stack, so that its short ID is its logical ID, which every alias
    // of the instance repeats in DependsOn. Named after the instance, not the order of the
    // instances, so the logical ID stays when other instances come or go.
    const id = `ConnectPolicy${createHash('sha256').update(key).digest('hex').slice(0, 8).toUpperCase()}`;
    const policy = new iam.CfnPolicy(stack, id, {
      policyName: id,
      // The role is known once the function is built.
      roles: Lazy.list({ produce: () => [this.built().role.roleName] }),
      policyDocument: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: CONNECT_ACTIONS, resources: [emailAddresses] })],
      }),
    });
    acknowledgeNagFinding(policy, {
      ruleId: 'AwsSolutions-IAM5',
      finding: nagResourceFinding(stack.resolve(emailAddresses)),
      reason:
        'Amazon Connect authorises the alias actions on email-address resources. The wildcard covers the ' +
        "email addresses of one instance in the stack's own account and region, so that one statement serves " +
        'every alias of the instance instead of growing with each one.',
    });
    this.instancePolicies.set(key, policy);
    return policy;
  }
}

/** What the handler's role must allow besides Amazon Connect. */
interface HandlerPermissions {
  readonly logs: iam.PolicyStatement;
  /** For a function in a VPC: Lambda manages its network interfaces with the function's role. */
  readonly network?: iam.PolicyStatement;
}

function handlerPermissions(logGroup: logs.ILogGroup, inVpc: boolean): HandlerPermissions {
  return {
    logs: new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      // The log group's Arn attribute ends in ":*", which covers its log streams.
      resources: [logGroup.logGroupArn],
    }),
    network: inVpc
      ? new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        })
      : undefined,
  };
}
