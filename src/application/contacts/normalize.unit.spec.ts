import { matchKey, normalizeValue } from './normalize';

const CHANNEL = 'c0000000000000000000000a';

describe('contact data normalisation', () => {
  it('writes phone numbers in E.164 however they are typed', () => {
    for (const value of ['+79876543210', '89876543210', '8 (987) 654-32-10', '+7 987 654 32 10']) {
      expect(normalizeValue({ type: 'phone', value, service: 'whatsapp' }, 'RU')).toBe(
        '+79876543210',
      );
    }
    expect(normalizeValue({ type: 'phone', value: '+1 650 253 0000', service: 'sms' }, 'RU')).toBe(
      '+16502530000',
    );
  });
  it('keeps the digits of something that is not a valid number', () =>
    expect(normalizeValue({ type: 'phone', value: '12-34', service: 'sms' }, 'RU')).toBe('1234'));
  it('lower-cases e-mails', () =>
    expect(
      normalizeValue({ type: 'mail', value: ' Hello@Yandex.RU ', service: 'mail' }, 'RU'),
    ).toBe('hello@yandex.ru'));
  it('compares custom data exactly as sent, within its channel', () => {
    expect(normalizeValue({ type: 'id', value: 'AbC', service: 'custom' }, 'RU')).toBe('AbC');
    expect(
      matchKey(CHANNEL, { type: 'id', value: 'AbC', service: 'custom', origin: null }, 'RU'),
    ).toBe(`custom:${CHANNEL}:id:AbC`);
  });
  it('matches other data across channels', () =>
    expect(
      matchKey(
        CHANNEL,
        { type: 'phone', value: '89876543210', service: 'whatsapp', origin: null },
        'RU',
      ),
    ).toBe('phone:+79876543210'));
});
