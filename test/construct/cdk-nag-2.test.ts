import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as nag2 from 'cdk-nag-v2';
import { describeAliasStacksWithoutFindings } from './nag-scenarios';

// cdk-nag 2 accepts older aws-cdk-lib than cdk-nag 3 does: this file runs against the oldest
// aws-cdk-lib supported too, and so imports nothing of cdk-nag 3.

/** The AwsSolutions findings of cdk-nag 2, which runs as an Aspect and reports through annotations. */
function nag2Findings(stack: Stack): string[] {
  Aspects.of(stack).add(new nag2.AwsSolutionsChecks());
  const annotations = Annotations.fromStack(stack);
  const finding = Match.stringLikeRegexp('^AwsSolutions-');
  return [...annotations.findError('*', finding), ...annotations.findWarning('*', finding)].map((message) => {
    const rule = /^AwsSolutions-\w+(\[[^\]]*\])?/.exec(String(message.entry.data))![0];
    return `${rule} ${message.id.replace(/^\//, '')}`;
  });
}

describeAliasStacksWithoutFindings(nag2Findings);
