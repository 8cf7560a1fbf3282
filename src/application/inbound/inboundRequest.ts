import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { DomainError } from '../../domain/errors';
import { authorizeIntegration, type LiveChannel } from '../channels/integrationAccess';
import { consistently, type CommandHandler, type RequestCommands } from '../commandHandler';
import {
  receiveMessage,
  type InboundDeps,
  type InboundMessageRequest,
  type InboundOptions,
  type InboundResult,
} from './receiveMessage';

// The inbound endpoint as one request of the write path: the channel, then the message, on a
// handler that trusts the cache until its first append (RequestReads says why that is safe).

export type Authorized = Readonly<{
  /** the request's handler: pass it on to `receiveAuthorized` */
  commands: RequestCommands;
  channel: Either<DomainError, LiveChannel>;
}>;

/** `?token=` on the channel, from the cache; a refusal is checked against a read first. */
export const authorizeRequest = async (
  commands: CommandHandler,
  channelId: string,
  token: string | null,
): Promise<Authorized> => {
  const first = commands.forRequest(true);
  const channel = await authorizeIntegration(first, channelId, token);
  if (!isLeft(channel)) return { commands: first, channel };
  // a refusal appends nothing that would check the cached channel
  let current = first;
  const checked = await consistently(first, (again, isAgain) => {
    current = again;
    return isAgain ? authorizeIntegration(again, channelId, token) : Promise.resolve(channel);
  });
  return { commands: current, channel: checked };
};

/**
 * The message, on the request's handler; run again with reads (the channel too, which may
 * refuse now) when a stream it relied on had moved.
 */
export const receiveAuthorized = (
  deps: Omit<InboundDeps, 'commands'>,
  authorized: Readonly<{ commands: RequestCommands; channel: LiveChannel }>,
  token: string | null,
  request: InboundMessageRequest,
  options: InboundOptions,
): Promise<Either<DomainError, InboundResult>> =>
  consistently(authorized.commands, async (commands, again) => {
    const channel = again
      ? await authorizeIntegration(commands, authorized.channel.channelId, token)
      : right(authorized.channel);
    if (isLeft(channel)) return left(channel.left);
    return receiveMessage({ ...deps, commands }, channel.right, request, options);
  });
