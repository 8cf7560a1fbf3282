import { Webhook } from 'standardwebhooks';
import { newWebhookSecret } from '../../application/webhooks/webhookSecret';
import { webhookHeaders } from './signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'msg_1', type: 'message.created', data: { text: 'héllo' } });
  const now = Math.floor(Date.now() / 1000);

  it('verifies with the standardwebhooks package', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders([secret], 'msg_1', now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fails verification for another secret or a changed body', () => {
    const headers = webhookHeaders([newWebhookSecret()], 'msg_1', now, body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    const secret = newWebhookSecret();
    const signed = webhookHeaders([secret], 'msg_1', now, body);
    expect(() => new Webhook(secret).verify(`${body} `, signed)).toThrow();
  });

  it('signs with every secret during a rotation, so either one verifies', () => {
    const [previous, current] = [newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders([current, previous], 'msg_2', now, body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
  });
});
