import { specFor } from '../testing/gwt';
import {
  channelCreated,
  channelDeleted,
  channelDisabled,
  channelEnabled,
  channelRenamed,
  createChannel,
  deleteChannel,
  disableChannel,
  enableChannel,
  issueToken,
  renameChannel,
  revokeToken,
  tokenIssued,
  tokenRevoked,
} from '../testing/builders/channel';
import { channelDecider } from './decide';

const given = specFor(channelDecider);

describe('channel', () => {
  describe('CreateChannel', () => {
    it('creates an enabled channel', () => given().when(createChannel()).then(channelCreated()));
    it('refuses to create it twice', () =>
      given(channelCreated()).when(createChannel()).thenFails('E_ALREADY_EXISTS'));
  });

  describe('RenameChannel', () => {
    it('renames', () =>
      given(channelCreated())
        .when(renameChannel({ name: 'Avito DMs' }))
        .then(channelRenamed()));
    it('changes nothing when the name is the same', () =>
      given(channelCreated())
        .when(renameChannel({ name: 'Avito' }))
        .thenNothingHappens());
    it('refuses an unknown channel', () =>
      given().when(renameChannel()).thenFails('E_CHANNEL_NOT_FOUND'));
    it('refuses a deleted channel', () =>
      given(channelCreated(), channelDeleted())
        .when(renameChannel())
        .thenFails('E_CHANNEL_DELETED'));
  });

  describe('EnableChannel and DisableChannel', () => {
    it('disables an enabled channel', () =>
      given(channelCreated()).when(disableChannel()).then(channelDisabled()));
    it('enables a disabled channel', () =>
      given(channelCreated(), channelDisabled()).when(enableChannel()).then(channelEnabled()));
    it('changes nothing when already enabled', () =>
      given(channelCreated()).when(enableChannel()).thenNothingHappens());
    it('changes nothing when already disabled', () =>
      given(channelCreated(), channelDisabled()).when(disableChannel()).thenNothingHappens());
    it('refuses to enable a deleted channel', () =>
      given(channelCreated(), channelDeleted())
        .when(enableChannel())
        .thenFails('E_CHANNEL_DELETED'));
    it('refuses to disable an unknown channel', () =>
      given().when(disableChannel()).thenFails('E_CHANNEL_NOT_FOUND'));
  });

  describe('DeleteChannel', () => {
    it('deletes', () => given(channelCreated()).when(deleteChannel()).then(channelDeleted()));
    it('refuses to delete twice', () =>
      given(channelCreated(), channelDeleted())
        .when(deleteChannel())
        .thenFails('E_CHANNEL_DELETED'));
    it('refuses an unknown channel', () =>
      given().when(deleteChannel()).thenFails('E_CHANNEL_NOT_FOUND'));
  });

  describe('tokens', () => {
    it('issues a token', () => given(channelCreated()).when(issueToken()).then(tokenIssued()));
    it('issuing the same token id again changes nothing', () =>
      given(channelCreated(), tokenIssued()).when(issueToken()).thenNothingHappens());
    it('refuses to issue on a deleted channel', () =>
      given(channelCreated(), channelDeleted()).when(issueToken()).thenFails('E_CHANNEL_DELETED'));
    it('revokes a live token', () =>
      given(channelCreated(), tokenIssued()).when(revokeToken()).then(tokenRevoked()));
    it('refuses to revoke an unknown token', () =>
      given(channelCreated()).when(revokeToken()).thenFails('E_TOKEN_NOT_FOUND'));
    it('refuses to revoke a token twice', () =>
      given(channelCreated(), tokenIssued(), tokenRevoked())
        .when(revokeToken())
        .thenFails('E_TOKEN_NOT_FOUND'));
  });
});
