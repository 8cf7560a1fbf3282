import type { Either } from 'fp-ts/Either';
import { integrationAccess } from '../../domain/channel/access';
import { channelDecider } from '../../domain/channel/decide';
import type { Channel } from '../../domain/channel/state';
import type { DomainError } from '../../domain/errors';
import { isObjectId } from '../../domain/shared/ids';
import type { CommandHandler } from '../commandHandler';
import { hashToken, sameHash } from '../secrets';
import { streams } from '../streams';

export type LiveChannel = Exclude<Channel, { status: 'absent' }>;

/** `?token=` on the inbound endpoint: the first check of every post (SPEC §2 check order). */
export const authorizeIntegration = async (
  commands: Pick<CommandHandler, 'load'>,
  channelId: string,
  token: string | null,
): Promise<Either<DomainError, LiveChannel>> => {
  const state: Channel = isObjectId(channelId)
    ? (await commands.load(streams.channel(channelId), channelDecider)).state
    : { status: 'absent' };
  const presented = hashToken(token ?? '');
  return integrationAccess(
    state,
    (t) => token !== null && token !== '' && sameHash(t.tokenHash, presented),
  );
};
