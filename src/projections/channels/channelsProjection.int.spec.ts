import {
  TOKEN_ID,
  channelCreated,
  channelDeleted,
  channelDisabled,
  channelRenamed,
  tokenIssued,
  tokenRevoked,
} from '../../domain/testing/builders/channel';
import { CHANNEL, T0, T1 } from '../../domain/testing/builders/ids';
import { inStream, projectionSpec } from '../../../test/support/projectionSpec';
import { channelsProjection } from './channelsProjection';

const given = projectionSpec(channelsProjection);
const stream = `channel-${CHANNEL}`;

describe('the channels read model', () => {
  it('lists a created channel as active and enabled', () =>
    given(...inStream(stream, channelCreated())).thenRows('channels', [
      { channel_id: CHANNEL, name: 'Avito', enabled: true, status: 'active', deleted_at: null },
    ]));

  it('follows renames and disabling', () =>
    given(...inStream(stream, channelCreated(), channelRenamed(), channelDisabled())).thenRows(
      'channels',
      [{ channel_id: CHANNEL, name: 'Avito DMs', enabled: false }],
    ));

  it('keeps a deleted channel, marked deleted', () =>
    given(...inStream(stream, channelCreated(), channelDeleted())).thenRows('channels', [
      { channel_id: CHANNEL, status: 'deleted', deleted_at: new Date(T1) },
    ]));

  it('keeps tokens without their hashes, and when they were revoked', () =>
    given(...inStream(stream, channelCreated(), tokenIssued(), tokenRevoked())).thenRows(
      'channel_tokens',
      [
        {
          token_id: TOKEN_ID,
          channel_id: CHANNEL,
          prefix: 'pk_1a2b',
          issued_at: new Date(T0),
          revoked_at: new Date(T1),
        },
      ],
    ));

  it('has no channel before one is created', () =>
    given(...inStream(stream, tokenIssued())).thenNoRows('channels'));
});
