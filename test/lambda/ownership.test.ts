import {
  type Holder,
  MAKER_TAG,
  type PrimaryState,
  adoptionTags,
  holderTag,
  markValue,
  otherHolders,
  planRelease,
} from '../../lambda/ownership';

const STACK_A = 'arn:aws:cloudformation:us-east-1:123456789012:stack/A/1';
const SELF: Holder = { stackId: STACK_A, logicalResourceId: 'SupportAlias' };
const OTHER: Holder = { stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/B/2', logicalResourceId: 'SupportAlias' };
const NEIGHBOUR: Holder = { stackId: STACK_A, logicalResourceId: 'MovedAlias' };
const SELF_TAG = holderTag(SELF);
const OTHER_TAG = holderTag(OTHER);
const NEIGHBOUR_TAG = holderTag(NEIGHBOUR);

function primary(aliases: string[], tags: Record<string, string> = {}): PrimaryState {
  return { arn: 'arn:aws:connect:us-east-1:123456789012:instance/i/email-address/support', aliases, tags };
}

describe('holderTag', () => {
  test('one per resource: stack and logical ID both count', () => {
    expect(SELF_TAG).toMatch(/^ConnectEmailAddressAlias:[0-9a-f]{16}$/);
    expect(new Set([SELF_TAG, OTHER_TAG, NEIGHBOUR_TAG]).size).toBe(3);
  });
});

describe('adoptionTags', () => {
  test('the first adopter marks itself, naming its logical ID, and the maker it found', () => {
    expect(adoptionTags(primary(['sales']), 'sales', SELF)).toEqual({ [SELF_TAG]: 'sales SupportAlias', [MAKER_TAG]: 'sales' });
  });

  test('a later adopter marks only itself; one already marked adds nothing', () => {
    const marked = primary(['sales'], { [OTHER_TAG]: 'sales SupportAlias', [MAKER_TAG]: 'sales' });
    expect(adoptionTags(marked, 'sales', SELF)).toEqual({ [SELF_TAG]: 'sales SupportAlias' });
    expect(adoptionTags(primary(['sales'], { [SELF_TAG]: 'sales SupportAlias' }), 'sales', SELF)).toEqual({});
  });

  test('marks written before they named a logical ID still count', () => {
    expect(adoptionTags(primary(['sales'], { [SELF_TAG]: 'sales' }), 'sales', SELF)).toEqual({});
    expect(planRelease(primary(['sales'], { [SELF_TAG]: 'sales', [OTHER_TAG]: 'sales' }), 'sales', SELF).action).toBe('keep');
  });

  test("marks of another alias do not count: they are left from the primary's earlier life", () => {
    expect(adoptionTags(primary(['sales'], { [OTHER_TAG]: 'help' }), 'sales', SELF)).toEqual({
      [SELF_TAG]: 'sales SupportAlias',
      [MAKER_TAG]: 'sales',
    });
  });

  test('an alias ID too long for a tag value is marked by its hash, without the logical ID if both do not fit', () => {
    const long = 'a'.repeat(300);
    expect(markValue(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(markValue(long, 'SupportAlias')).toMatch(/^[0-9a-f]{64} SupportAlias$/);
    expect(markValue('b'.repeat(250), 'SupportAlias')).toBe('b'.repeat(250));
    expect(planRelease(primary([long], { [SELF_TAG]: markValue(long, 'SupportAlias') }), long, SELF).action).toBe('remove');
  });
});

describe('planRelease', () => {
  test.each<[string, PrimaryState, string, string[]]>([
    ['unmarked: the maker alone removes it', primary(['sales']), 'remove', []],
    ['unmarked but for a maker whose adopters have gone', primary(['sales'], { [MAKER_TAG]: 'sales' }), 'remove', [MAKER_TAG]],
    [
      'the maker, with an adopter: keeps it, and drops the maker mark',
      primary(['sales'], { [OTHER_TAG]: 'sales', [MAKER_TAG]: 'sales' }),
      'keep',
      [MAKER_TAG],
    ],
    ['the last adopter removes it', primary(['sales'], { [SELF_TAG]: 'sales' }), 'remove', [SELF_TAG]],
    [
      'the last adopter of a hand-made association keeps it, and leaves it unmarked as it found it',
      primary(['sales'], { [SELF_TAG]: 'sales', [MAKER_TAG]: 'sales' }),
      'keep',
      [SELF_TAG, MAKER_TAG],
    ],
    [
      'an adopter, with the maker and another adopter, keeps it and the maker mark',
      primary(['sales'], { [SELF_TAG]: 'sales', [OTHER_TAG]: 'sales', [MAKER_TAG]: 'sales' }),
      'keep',
      [SELF_TAG],
    ],
    ['an adopter, with another adopter, keeps it', primary(['sales'], { [SELF_TAG]: 'sales', [OTHER_TAG]: 'sales' }), 'keep', [SELF_TAG]],
    ['unrecorded, once the maker has gone, keeps what adopters hold', primary(['sales'], { [OTHER_TAG]: 'sales' }), 'keep', []],
    ['not in place: nothing to remove, its own mark tidied', primary(['help'], { [SELF_TAG]: 'sales' }), 'absent', [SELF_TAG]],
    ['not in place and unmarked', primary([]), 'absent', []],
  ])('%s', (_, state, action, untag) => {
    expect(planRelease(state, 'sales', SELF)).toMatchObject({ action, untag });
  });

  test('Connect echoing the alias in another letter case, or as its ARN, is the same alias', () => {
    const arn = 'arn:aws:connect:us-east-1:123456789012:instance/i/email-address/SALES';
    for (const echoed of ['SALES', arn]) {
      expect(planRelease(primary([echoed]), 'sales', SELF).action).toBe('remove');
      expect(planRelease(primary([echoed], { [SELF_TAG]: 'sales', [OTHER_TAG]: 'Sales' }), 'sales', SELF).action).toBe('keep');
    }
  });

  test('holders CloudFormation says are gone count for nothing, and their marks go with the release', () => {
    const state = primary(['sales'], { [SELF_TAG]: 'sales SupportAlias', [NEIGHBOUR_TAG]: 'sales MovedAlias' });
    expect(planRelease(state, 'sales', SELF)).toMatchObject({ action: 'keep', untag: [SELF_TAG] });
    expect(planRelease(state, 'sales', SELF, [NEIGHBOUR_TAG])).toMatchObject({ action: 'remove', untag: [SELF_TAG, NEIGHBOUR_TAG] });
  });
});

describe('otherHolders', () => {
  test('names the logical ID only of marks that its own stack made: those are the ones the role may check', () => {
    const state = primary(['sales'], {
      [SELF_TAG]: 'sales SupportAlias',
      [NEIGHBOUR_TAG]: 'sales MovedAlias',
      [OTHER_TAG]: 'sales SupportAlias',
      [MAKER_TAG]: 'sales',
    });
    expect(otherHolders(state, 'sales', SELF)).toEqual([
      { tag: NEIGHBOUR_TAG, sameStackLogicalId: 'MovedAlias' },
      { tag: OTHER_TAG, sameStackLogicalId: undefined },
    ]);
  });

  test('a mark that names a logical ID its key does not hash to is not taken for one of this stack', () => {
    const forged = primary(['sales'], { [OTHER_TAG]: 'sales MovedAlias' });
    expect(otherHolders(forged, 'sales', SELF)).toEqual([{ tag: OTHER_TAG, sameStackLogicalId: undefined }]);
  });
});
