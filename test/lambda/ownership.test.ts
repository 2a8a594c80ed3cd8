import { MAKER_TAG, type PrimaryState, adoptionTags, holderTag, markValue, planRelease } from '../../lambda/ownership';

const SELF = holderTag('arn:aws:cloudformation:us-east-1:123456789012:stack/A/1', 'SupportAlias');
const OTHER = holderTag('arn:aws:cloudformation:us-east-1:123456789012:stack/B/2', 'SupportAlias');

function primary(aliases: string[], tags: Record<string, string> = {}): PrimaryState {
  return { arn: 'arn:aws:connect:us-east-1:123456789012:instance/i/email-address/support', aliases, tags };
}

describe('holderTag', () => {
  test('one per resource: stack and logical ID both count', () => {
    expect(SELF).toMatch(/^ConnectEmailAddressAlias:[0-9a-f]{16}$/);
    expect(new Set([SELF, OTHER, holderTag('arn:aws:cloudformation:us-east-1:123456789012:stack/A/1', 'MovedAlias')]).size).toBe(3);
  });
});

describe('adoptionTags', () => {
  test('the first adopter marks itself and the maker it found', () => {
    expect(adoptionTags(primary(['sales']), 'sales', SELF)).toEqual({ [SELF]: 'sales', [MAKER_TAG]: 'sales' });
  });

  test('a later adopter marks only itself; one already marked adds nothing', () => {
    const marked = primary(['sales'], { [OTHER]: 'sales', [MAKER_TAG]: 'sales' });
    expect(adoptionTags(marked, 'sales', SELF)).toEqual({ [SELF]: 'sales' });
    expect(adoptionTags(primary(['sales'], { [SELF]: 'sales' }), 'sales', SELF)).toEqual({});
  });

  test("marks of another alias do not count: they are left from the primary's earlier life", () => {
    expect(adoptionTags(primary(['sales'], { [OTHER]: 'help' }), 'sales', SELF)).toEqual({ [SELF]: 'sales', [MAKER_TAG]: 'sales' });
  });

  test('an alias ID too long for a tag value is marked by its hash', () => {
    const long = 'a'.repeat(300);
    expect(markValue(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(planRelease(primary([long], { [SELF]: markValue(long) }), long, SELF).action).toBe('remove');
  });
});

describe('planRelease', () => {
  test.each<[string, PrimaryState, string, string[]]>([
    ['unmarked: the maker alone removes it', primary(['sales']), 'remove', []],
    ['unmarked but for a maker whose adopters have gone', primary(['sales'], { [MAKER_TAG]: 'sales' }), 'remove', [MAKER_TAG]],
    ['the maker, with an adopter: keeps it, and drops the maker mark', primary(['sales'], { [OTHER]: 'sales', [MAKER_TAG]: 'sales' }), 'keep', [MAKER_TAG]],
    ['the last adopter removes it', primary(['sales'], { [SELF]: 'sales' }), 'remove', [SELF]],
    ['an adopter, with the maker still there, keeps it', primary(['sales'], { [SELF]: 'sales', [MAKER_TAG]: 'sales' }), 'keep', [SELF]],
    ['an adopter, with another adopter, keeps it', primary(['sales'], { [SELF]: 'sales', [OTHER]: 'sales' }), 'keep', [SELF]],
    ['unrecorded, once the maker has gone, keeps what adopters hold', primary(['sales'], { [OTHER]: 'sales' }), 'keep', []],
    ['not in place: nothing to remove, its own mark tidied', primary(['help'], { [SELF]: 'sales' }), 'absent', [SELF]],
    ['not in place and unmarked', primary([]), 'absent', []],
  ])('%s', (_, state, action, untag) => {
    expect(planRelease(state, 'sales', SELF)).toMatchObject({ action, untag });
  });
});
