import { map, type Either } from 'fp-ts/Either';
import { auditorDecider } from '../../domain/auditor/decide';
import type { Auditors } from '../../domain/auditor/state';
import type { DomainError } from '../../domain/errors';
import { loadAggregate, type CommandDeps } from '../commandHandler';
import type { CommandContext } from '../context';
import type { Checkpoint, EventStore } from '../ports/eventStore';
import { streams } from '../streams';
import { newAuditorToken } from './auditorToken';

export type CreatedAuditor = Readonly<{
  auditorId: string;
  tokenId: string;
  /** shown once: only its hash is recorded */
  token: string;
  state: Auditors;
  checkpoint: Checkpoint | null;
}>;

export const createAuditor = async (
  deps: CommandDeps,
  input: Readonly<{ name: string }>,
  context: CommandContext,
): Promise<Either<DomainError, CreatedAuditor>> => {
  const auditorId = deps.ids.objectId();
  const tokenId = deps.ids.objectId();
  const { token, spec } = newAuditorToken(tokenId);
  const result = await deps.commands.handle(
    streams.auditors(),
    auditorDecider,
    {
      type: 'CreateAuditor',
      data: { auditorId, name: input.name, token: spec, now: context.now.toISOString() },
    },
    context,
  );
  return map((handled: { state: Auditors; checkpoint: Checkpoint | null }): CreatedAuditor => ({
    auditorId,
    tokenId,
    token,
    state: handled.state,
    checkpoint: handled.checkpoint,
  }))(result);
};

export const removeAuditor = async (
  deps: CommandDeps,
  auditorId: string,
  context: CommandContext,
): Promise<Either<DomainError, Checkpoint | null>> =>
  map((handled: { checkpoint: Checkpoint | null }) => handled.checkpoint)(
    await deps.commands.handle(
      streams.auditors(),
      auditorDecider,
      { type: 'RemoveAuditor', data: { auditorId, now: context.now.toISOString() } },
      context,
    ),
  );

/** The auditors as their stream says, never as a read model that may lag. */
export const loadAuditors = async (store: EventStore): Promise<Auditors> =>
  (await loadAggregate(store, streams.auditors(), auditorDecider)).state;
