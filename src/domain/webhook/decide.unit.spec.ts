import { specFor } from '../testing/gwt';
import { CHANNEL } from '../testing/builders/ids';
import {
  disableGoneWebhook,
  removeWebhook,
  rotateWebhookSecret,
  subscribeWebhook,
  updateWebhook,
  webhookRemoved,
  webhookSecretRotated,
  webhookSubscribed,
  webhookUpdated,
} from '../testing/builders/webhook';
import { webhookDecider } from './decide';

const given = specFor(webhookDecider);

describe('webhook subscription', () => {
  describe('SubscribeWebhook', () => {
    it('subscribes, enabled from the start', () =>
      given().when(subscribeWebhook()).then(webhookSubscribed()));
    it('keeps event types in one order, once each', () =>
      given()
        .when(
          subscribeWebhook({
            events: ['message.created', 'dialog.created', 'message.created'],
            channelId: CHANNEL,
          }),
        )
        .then(
          webhookSubscribed({ events: ['dialog.created', 'message.created'], channelId: CHANNEL }),
        ));
    it('refuses a subscription to nothing', () =>
      given()
        .when(subscribeWebhook({ events: [] }))
        .thenFails('E_VALIDATION'));
    it('refuses to subscribe twice under one id', () =>
      given(webhookSubscribed()).when(subscribeWebhook()).thenFails('E_ALREADY_EXISTS'));
  });

  describe('UpdateWebhook', () => {
    it('records the subscription after the change, whole', () =>
      given(webhookSubscribed())
        .when(updateWebhook({ url: 'https://other.example.com/', channelId: CHANNEL }))
        .then(webhookUpdated({ url: 'https://other.example.com/', channelId: CHANNEL })));
    it('disables and enables', () => {
      given(webhookSubscribed())
        .when(updateWebhook({ enabled: false }))
        .then(webhookUpdated({ enabled: false }));
      given(webhookSubscribed(), webhookUpdated({ enabled: false }))
        .when(updateWebhook({ enabled: true }))
        .then(webhookUpdated({ enabled: true }));
    });
    it('removes the channel filter with null', () =>
      given(webhookSubscribed({ channelId: CHANNEL }))
        .when(updateWebhook({ channelId: null }))
        .then(webhookUpdated({ channelId: null })));
    it('changes nothing when nothing differs', () =>
      given(webhookSubscribed())
        .when(updateWebhook({ url: webhookSubscribed().data.url, events: ['message.created'] }))
        .thenNothingHappens());
    it('refuses an empty list of event types', () =>
      given(webhookSubscribed())
        .when(updateWebhook({ events: [] }))
        .thenFails('E_VALIDATION'));
    it('refuses a removed webhook', () =>
      given(webhookSubscribed(), webhookRemoved())
        .when(updateWebhook({ enabled: false }))
        .thenFails('E_WEBHOOK_NOT_FOUND'));
    it('refuses an unknown webhook', () =>
      given().when(updateWebhook()).thenFails('E_WEBHOOK_NOT_FOUND'));
  });

  describe('DisableGoneWebhook', () => {
    it('disables an enabled webhook, saying why', () =>
      given(webhookSubscribed())
        .when(disableGoneWebhook())
        .then(webhookUpdated({ enabled: false, reason: 'endpoint_gone' })));
    it('changes nothing when already disabled', () =>
      given(webhookSubscribed(), webhookUpdated({ enabled: false }))
        .when(disableGoneWebhook())
        .thenNothingHappens());
    it('changes nothing after removal', () =>
      given(webhookSubscribed(), webhookRemoved()).when(disableGoneWebhook()).thenNothingHappens());
  });

  describe('RotateWebhookSecret and RemoveWebhook', () => {
    it('rotates the secret, naming the previous one', () =>
      given(webhookSubscribed()).when(rotateWebhookSecret()).then(webhookSecretRotated()));
    it('refuses to rotate on a removed webhook', () =>
      given(webhookSubscribed(), webhookRemoved())
        .when(rotateWebhookSecret())
        .thenFails('E_WEBHOOK_NOT_FOUND'));
    it('removes', () => given(webhookSubscribed()).when(removeWebhook()).then(webhookRemoved()));
    it('refuses to remove twice', () =>
      given(webhookSubscribed(), webhookRemoved())
        .when(removeWebhook())
        .thenFails('E_WEBHOOK_NOT_FOUND'));
  });
});
