import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cdk from 'aws-cdk-lib';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { EmailAddressAlias, EmailAddressAliasProps } from '../../lib';
import { aliasProps, newStack } from './stacks';

const PROVIDER = 'ConnectEmailAddressAliasProvider';

/** A VPC with private subnets, a KMS-encrypted log group kept a year, and a role, as a regulated account has them. */
function accountResources(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
  key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));
  const logGroup = new logs.LogGroup(stack, 'HandlerLogs', {
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const securityGroup = new ec2.SecurityGroup(stack, 'HandlerSecurityGroup', { vpc, description: 'Handler: HTTPS out' });
  const role = new iam.Role(stack, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { vpc, logGroup, securityGroup, role };
}

function aliases(stack: Stack, count: number, settings: Partial<EmailAddressAliasProps>, settingIndex = 0): void {
  for (let n = 0; n < count; n++) {
    new EmailAddressAlias(stack, `Alias${n}`, { ...aliasProps(n), ...(n === settingIndex ? settings : {}) });
  }
}

describe('vpc, vpcSubnets and securityGroups', () => {
  test('place the function in the chosen subnets with the chosen groups, and let its own role manage the network interfaces', () => {
    const stack = newStack();
    const { vpc, securityGroup } = accountResources(stack);
    aliases(stack, 2, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, securityGroups: [securityGroup] }, 1);
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: stack.resolve(vpc.privateSubnets.map((subnet) => subnet.subnetId)),
        SecurityGroupIds: [stack.resolve(securityGroup.securityGroupId)],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: Match.arrayWith([
        Match.objectLike({
          PolicyName: 'Network',
          PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface']), Resource: '*' })] },
        }),
      ]),
    });
  });

  test('without vpc, the function has no VpcConfig and its role no network permissions', () => {
    const stack = newStack();
    aliases(stack, 1, {});
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() });
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toContain('ec2:');
  });

  test.each(['vpcSubnets', 'securityGroups'] as const)('%s without vpc is an error naming the alias and the fix', (name) => {
    const stack = newStack();
    const { securityGroup } = accountResources(stack);
    const setting = name === 'vpcSubnets' ? { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } } : { securityGroups: [securityGroup] };
    aliases(stack, 2, setting, 1);
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`${name} is set at TestStack/Alias1, but no alias of the stack sets vpc: give the VPC too`));
  });

  test('two aliases with different VPCs is an error naming both', () => {
    const stack = newStack();
    const { vpc } = accountResources(stack);
    const other = new ec2.Vpc(stack, 'OtherVpc', { maxAzs: 1, natGateways: 0 });
    new EmailAddressAlias(stack, 'First', { ...aliasProps(1), vpc });
    new EmailAddressAlias(stack, 'Second', { ...aliasProps(2), vpc: other });
    expect(() => Template.fromStack(stack)).toThrow(/vpc is "TestStack\/OtherVpc" at TestStack\/Second, but "TestStack\/Vpc" at TestStack\/First/);
  });
});

describe('logGroup', () => {
  test('the function logs to the given log group, the role may write to it, and the construct makes none of its own', () => {
    const stack = newStack();
    const { logGroup } = accountResources(stack);
    aliases(stack, 2, { logGroup }, 1);
    const template = Template.fromStack(stack);

    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toEqual([stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)]);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: stack.resolve(logGroup.logGroupName) } });
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: Match.arrayWith([
        Match.objectLike({ PolicyName: 'Logs', PolicyDocument: { Statement: [Match.objectLike({ Resource: stack.resolve(logGroup.logGroupArn) })] } }),
      ]),
    });
  });

  test('with logRetention is an error: the retention belongs to the given log group', () => {
    const stack = newStack();
    const { logGroup } = accountResources(stack);
    new EmailAddressAlias(stack, 'First', { ...aliasProps(1), logGroup });
    new EmailAddressAlias(stack, 'Second', { ...aliasProps(2), logRetention: logs.RetentionDays.ONE_YEAR });
    expect(() => Template.fromStack(stack)).toThrow(/logRetention is set at TestStack\/Second, and logGroup at TestStack\/First: .*set the retention on your log group/);
  });
});

describe('role', () => {
  test('the function runs with the given role, which gets the Connect policy, the log permission, reads of its own stack and its queue; the construct makes no role', () => {
    const stack = newStack();
    const { role } = accountResources(stack);
    aliases(stack, 2, { role }, 1);
    const template = Template.fromStack(stack);
    const roleRef = stack.resolve(role.roleName);

    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toEqual([stack.getLogicalId(role.node.defaultChild as iam.CfnRole)]);
    template.hasResourceProperties('AWS::Lambda::Function', { Role: stack.resolve(role.roleArn) });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [roleRef],
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['connect:AssociateEmailAddressAlias']) })] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [roleRef],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
          { Action: ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'], Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
          Match.objectLike({ Action: Match.arrayWith(['sqs:ReceiveMessage', 'sqs:DeleteMessage']) }),
        ],
      },
    });
  });

  test("a permissions boundary applied with an Aspect reaches the construct's own role", () => {
    const stack = newStack();
    aliases(stack, 1, {});
    const boundary = new iam.ManagedPolicy(stack, 'Boundary', {
      statements: [new iam.PolicyStatement({ actions: ['connect:*', 'logs:*'], resources: ['*'] })],
    });
    iam.PermissionsBoundary.of(stack).apply(boundary);
    Template.fromStack(stack).allResourcesProperties('AWS::IAM::Role', { PermissionsBoundary: stack.resolve(boundary.managedPolicyArn) });
  });
});

/**
 * An app with a validation plugin registered as its aws-cdk-lib asks: `Validations` from 2.251 on,
 * where the App prop is deprecated (and prints so), the prop on the older releases the peer range
 * admits, which this file also runs against.
 */
function appValidatedBy(plugin: CfnGuardValidator, context: Record<string, unknown>): App {
  const validations: typeof cdk.Validations | undefined = cdk.Validations;
  if (validations === undefined) return new App({ policyValidationBeta1: [plugin], context });
  const app = new App({ context });
  validations.of(app).addPlugins(plugin);
  return app;
}

describe('AWS Control Tower proactive controls (cfn-guard)', () => {
  /** The Control Tower rules that fail, as "rule construct-path", for the construct's own resources. */
  function controlTowerViolations(configure: (stack: Stack) => Partial<EmailAddressAliasProps>): string[] {
    const app = appValidatedBy(new CfnGuardValidator(), { '@aws-cdk/core:validationReportJson': true });
    const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    aliases(stack, 2, configure(stack));
    // A violation fails the synthesis (older aws-cdk-lib sets process.exitCode instead, which
    // would fail the test run); the report says which.
    const exitCode = process.exitCode;
    try {
      app.synth();
    } catch {
      // reported below
    } finally {
      process.exitCode = exitCode;
    }
    const report: { pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[] } = JSON.parse(
      readFileSync(join(app.outdir, 'policy-validation-report.json'), 'utf8'),
    );
    const own = (path: string) => path.includes(PROVIDER) || /^TestStack\/(Alias\d+|ConnectPolicy)/.test(path);
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.filter((construct) => own(construct.constructPath)).map((construct) => `${violation.ruleName} ${construct.constructPath}`),
      ),
    );
  }

  test('a stack with vpc and a KMS-encrypted log group kept a year has no violation on the construct\'s resources', () => {
    expect(
      controlTowerViolations((stack) => {
        const { vpc, logGroup } = accountResources(stack);
        return { vpc, logGroup };
      }),
    ).toEqual([]);
  }, 60_000);

  test('with the defaults, the rules find the log group and the function outside a VPC', () => {
    expect(controlTowerViolations(() => ({})).sort()).toEqual([
      `cloudwatch_log_group_encrypted_check TestStack/${PROVIDER}/LogGroup/Resource`,
      `cloudwatch_log_group_retention_period_check TestStack/${PROVIDER}/LogGroup/Resource`,
      `lambda_inside_vpc_check TestStack/${PROVIDER}/Handler/Resource`,
    ]);
  }, 60_000);
});
