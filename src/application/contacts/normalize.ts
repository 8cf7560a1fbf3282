import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { contactDataKey, CUSTOM_SERVICE, type ContactData } from '../../domain/contact/contactData';
import type { ContactDataInput } from '../../domain/contact/contactInfo';

const PHONE_TYPES = new Set(['phone', 'tel', 'mobile', 'sms', 'whatsapp', 'viber']);
const EMAIL_TYPES = new Set(['mail', 'email', 'e-mail']);

/**
 * The value matching compares. Custom data compares as sent (per channel); phone numbers
 * become E.164 (libphonenumber, `defaultRegion` for numbers without a country code), e-mails
 * lower-case; anything else is trimmed.
 */
export const normalizeValue = (
  item: Pick<ContactDataInput, 'type' | 'value' | 'service'>,
  defaultRegion: string,
): string => {
  const value = item.value.trim();
  if (item.service === CUSTOM_SERVICE) return value;
  const type = item.type.toLowerCase();
  if (PHONE_TYPES.has(type)) {
    const phone = parsePhoneNumberFromString(value, defaultRegion as CountryCode);
    if (phone?.isValid()) return phone.number;
    // not a valid number: keep its digits so the same typing still matches
    const digits = value.replace(/\D/g, '');
    return value.startsWith('+') ? `+${digits}` : digits;
  }
  if (EMAIL_TYPES.has(type)) return value.toLowerCase();
  return value;
};

export const matchKey = (
  channelId: string,
  item: ContactDataInput,
  defaultRegion: string,
): string =>
  contactDataKey(channelId, {
    type: item.type,
    service: item.service,
    normalizedValue: normalizeValue(item, defaultRegion),
  });

/** A complete item: its id comes from the key's claim. */
export const toContactData = (id: string, item: ContactDataInput, key: string): ContactData => ({
  id,
  type: item.type,
  value: item.value,
  service: item.service,
  origin: item.origin,
  key,
});
