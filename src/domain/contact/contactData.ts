import type { ChannelId, ContactDataId } from '../shared/ids';

/** The service whose contact data identifies a customer within one channel. */
export const CUSTOM_SERVICE = 'custom';

/**
 * One way to reach a customer: Vasya Pupkin is the contact, his number +79876543210 is
 * contact data. `key` is what matching compares: custom data per channel on (type, value),
 * any other data across channels on (type, normalized value).
 */
export type ContactData = Readonly<{
  id: ContactDataId;
  type: string;
  value: string;
  service: string;
  origin: string | null;
  key: string;
}>;

export const isCustom = (data: Pick<ContactData, 'service'>): boolean =>
  data.service === CUSTOM_SERVICE;

/**
 * The match key of contact data. `normalizedValue` is the value after normalisation
 * (E.164 phones, lower-cased emails), done by the application before it reaches the domain.
 */
export const contactDataKey = (
  channelId: ChannelId,
  item: Readonly<{ type: string; service: string; normalizedValue: string }>,
): string =>
  item.service === CUSTOM_SERVICE
    ? `custom:${channelId}:${item.type}:${item.normalizedValue}`
    : `${item.type}:${item.normalizedValue}`;
