/**
 * Which declarations hold an association, so that only the last one's removal removes it.
 *
 * A Create that finds its pair already associated adopts it, and records that on the primary
 * address's tags: one tag for itself, and, if nobody was recorded yet, one for whoever made the
 * association (another resource that recorded nothing, or a person). A Create that makes the
 * association records nothing, so the common path costs no extra call. A Delete reads the tags
 * (it describes the primary anyway) and removes the association only when no other holder is left.
 */
import { createHash } from 'node:crypto';

const TAG_PREFIX = 'ConnectEmailAddressAlias:';
/** The holder that made an adopted association without recording itself. */
export const MAKER_TAG = `${TAG_PREFIX}maker`;
// Connect tag values hold at most 256 characters; email address IDs may have up to 500.
const MAX_TAG_VALUE_LENGTH = 256;

/** The tag key of one declaration: a resource of a stack, for the life of its logical ID. */
export function holderTag(stackId: string, logicalResourceId: string): string {
  const hash = createHash('sha256').update(JSON.stringify([stackId, logicalResourceId])).digest('hex').slice(0, 16);
  return `${TAG_PREFIX}${hash}`;
}

/** A mark's value: the alias it holds, so that marks left from another alias do not count. */
export function markValue(aliasId: string): string {
  return aliasId.length <= MAX_TAG_VALUE_LENGTH ? aliasId : createHash('sha256').update(aliasId).digest('hex');
}

/** The primary address as DescribeEmailAddress shows it. */
export interface PrimaryState {
  readonly arn: string;
  readonly aliases: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** What a declaration going away does to the association, and which marks it then takes off. */
export interface Release {
  /** remove: this was the last holder; keep: others hold it still; absent: it is not in place. */
  readonly action: 'remove' | 'keep' | 'absent';
  /** Mark tags to take off the primary once the action is done. */
  readonly untag: readonly string[];
}

/** Decides the release of `aliasId` by the declaration `self`. */
export function planRelease(primary: PrimaryState, aliasId: string, self: string): Release {
  if (!primary.aliases.includes(aliasId)) {
    return { action: 'absent', untag: self in primary.tags ? [self] : [] };
  }
  const { holders, maker } = marksOf(primary.tags, aliasId);
  const others = holders.filter((key) => key !== self);
  if (holders.includes(self)) {
    return { action: others.length > 0 || maker ? 'keep' : 'remove', untag: [self] };
  }
  if (others.length === 0) {
    // Unrecorded and alone: the maker itself, or a declaration whose adopter has gone.
    return { action: 'remove', untag: maker ? [MAKER_TAG] : [] };
  }
  // Recorded holders remain. Unrecorded, this declaration is the maker: its mark goes, if still there.
  return { action: 'keep', untag: maker ? [MAKER_TAG] : [] };
}

/** The tags an adopting declaration `self` adds to the primary; none when it is recorded already. */
export function adoptionTags(primary: PrimaryState, aliasId: string, self: string): Record<string, string> {
  const { holders, maker } = marksOf(primary.tags, aliasId);
  if (holders.includes(self)) {
    return {};
  }
  const value = markValue(aliasId);
  return holders.length === 0 && !maker ? { [self]: value, [MAKER_TAG]: value } : { [self]: value };
}

function marksOf(tags: Readonly<Record<string, string>>, aliasId: string): { holders: string[]; maker: boolean } {
  const value = markValue(aliasId);
  const holders = Object.keys(tags).filter((key) => key.startsWith(TAG_PREFIX) && key !== MAKER_TAG && tags[key] === value);
  return { holders, maker: tags[MAKER_TAG] === value };
}
