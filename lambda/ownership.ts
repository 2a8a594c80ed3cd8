/**
 * Which declarations hold an association, so that only the last one's removal removes it.
 *
 * A Create that finds its pair already associated adopts it, and records that on the primary
 * address's tags: one tag for itself, and, if nobody was recorded yet, one for whoever made the
 * association (another resource that recorded nothing, or a person). A Create that makes the
 * association records nothing, so the common path costs no extra call. A Delete reads the tags
 * (it describes the primary anyway) and removes the association only when no other holder is left.
 *
 * A holder's mark names its logical ID next to the alias, so that a later release in the same
 * stack can ask CloudFormation whether that resource still exists and drop the marks of those
 * that do not (a retained resource, a move whose cleanup failed).
 */
import { createHash } from 'node:crypto';
import { OWNERSHIP_TAG_PREFIX as TAG_PREFIX } from '../lib/ownership-tags';
import { sameEmailAddress } from './alias-pair';

/** The holder that made an adopted association without recording itself. */
export const MAKER_TAG = `${TAG_PREFIX}maker`;
// Connect tag values hold at most 256 characters; email address IDs may have up to 500.
const MAX_TAG_VALUE_LENGTH = 256;
// Neither an email address ID (checked at synthesis) nor a logical ID has a space.
const MARK_SEPARATOR = ' ';

/** A declaration: a resource of a stack, for the life of its logical ID. */
export interface Holder {
  readonly stackId: string;
  readonly logicalResourceId: string;
}

/** The tag key of one declaration. */
export function holderTag({ stackId, logicalResourceId }: Holder): string {
  const hash = createHash('sha256').update(JSON.stringify([stackId, logicalResourceId])).digest('hex').slice(0, 16);
  return `${TAG_PREFIX}${hash}`;
}

/** How the alias appears in a mark: itself, or its hash when too long for a tag value. */
function aliasMark(aliasId: string): string {
  return aliasId.length <= MAX_TAG_VALUE_LENGTH ? aliasId : createHash('sha256').update(aliasId).digest('hex');
}

/**
 * A holder's mark: the alias it holds, so that marks left from another alias do not count, and
 * its logical ID when both fit, so that the mark can be checked against its stack.
 */
export function markValue(aliasId: string, logicalResourceId?: string): string {
  const alias = aliasMark(aliasId);
  const named = logicalResourceId === undefined ? alias : `${alias}${MARK_SEPARATOR}${logicalResourceId}`;
  return named.length <= MAX_TAG_VALUE_LENGTH ? named : alias;
}

/** The primary address as DescribeEmailAddress shows it. */
export interface PrimaryState {
  readonly arn: string;
  readonly aliases: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** A recorded holder of the alias other than the releasing one, with the logical ID its mark names. */
export interface OtherHolder {
  readonly tag: string;
  /** Set when the mark names a resource of the releasing declaration's own stack. */
  readonly sameStackLogicalId?: string;
}

/** What a declaration going away does to the association, and which marks it then takes off. */
export interface Release {
  /** remove: this was the last holder; keep: others hold it still; absent: it is not in place. */
  readonly action: 'remove' | 'keep' | 'absent';
  /** Mark tags to take off the primary once the action is done. */
  readonly untag: readonly string[];
}

/** Whether the primary forwards from `aliasId` now, however Connect spells the alias. */
export function isAssociated(primary: PrimaryState, aliasId: string): boolean {
  return primary.aliases.some((alias) => sameEmailAddress(alias, aliasId));
}

/**
 * The other recorded holders of `aliasId`, for a release to check. Only marks of the same stack
 * can be checked: the role may read its own stack alone.
 */
export function otherHolders(primary: PrimaryState, aliasId: string, self: Holder): OtherHolder[] {
  const selfTag = holderTag(self);
  return marksOf(primary.tags, aliasId)
    .holders.filter((holder) => holder.tag !== selfTag)
    .map(({ tag, logicalResourceId }) => ({
      tag,
      sameStackLogicalId:
        logicalResourceId !== undefined && holderTag({ stackId: self.stackId, logicalResourceId }) === tag ? logicalResourceId : undefined,
    }));
}

/**
 * Decides the release of `aliasId` by the declaration `self`. `goneHolders` are the tags of
 * holders that CloudFormation says no longer exist: they count for nothing and their marks go.
 */
export function planRelease(primary: PrimaryState, aliasId: string, self: Holder, goneHolders: readonly string[] = []): Release {
  const selfTag = holderTag(self);
  const { holders, maker } = marksOf(primary.tags, aliasId);
  const gone = holders.map((holder) => holder.tag).filter((tag) => goneHolders.includes(tag));
  const live = holders.map((holder) => holder.tag).filter((tag) => !gone.includes(tag));
  if (!isAssociated(primary, aliasId)) {
    return { action: 'absent', untag: selfTag in primary.tags ? [selfTag, ...gone] : gone };
  }
  const others = live.filter((tag) => tag !== selfTag);
  if (live.includes(selfTag)) {
    // The last recorded holder leaving an association made by hand leaves it as it found it, unmarked.
    const lastOfMaker = others.length === 0 && maker ? [MAKER_TAG] : [];
    return { action: others.length > 0 || maker ? 'keep' : 'remove', untag: [selfTag, ...lastOfMaker, ...gone] };
  }
  if (others.length === 0) {
    // Unrecorded and alone: the maker itself, or a declaration whose adopters have gone.
    return { action: 'remove', untag: maker ? [MAKER_TAG, ...gone] : gone };
  }
  // Recorded holders remain. Unrecorded, this declaration is the maker: its mark goes, if still there.
  return { action: 'keep', untag: maker ? [MAKER_TAG, ...gone] : gone };
}

/** The tags an adopting declaration `self` adds to the primary; none when it is recorded already. */
export function adoptionTags(primary: PrimaryState, aliasId: string, self: Holder): Record<string, string> {
  const selfTag = holderTag(self);
  const { holders, maker } = marksOf(primary.tags, aliasId);
  if (holders.some((holder) => holder.tag === selfTag)) {
    return {};
  }
  const mark = markValue(aliasId, self.logicalResourceId);
  return holders.length === 0 && !maker ? { [selfTag]: mark, [MAKER_TAG]: markValue(aliasId) } : { [selfTag]: mark };
}

function marksOf(
  tags: Readonly<Record<string, string>>,
  aliasId: string,
): { holders: Array<{ tag: string; logicalResourceId?: string }>; maker: boolean } {
  const alias = aliasMark(aliasId);
  const holders: Array<{ tag: string; logicalResourceId?: string }> = [];
  let maker = false;
  for (const [tag, value] of Object.entries(tags)) {
    if (!tag.startsWith(TAG_PREFIX)) continue;
    const [markedAlias, logicalResourceId] = value.split(MARK_SEPARATOR);
    if (!sameEmailAddress(markedAlias, alias)) continue;
    if (tag === MAKER_TAG) maker = true;
    else holders.push({ tag, logicalResourceId });
  }
  return { holders, maker };
}
