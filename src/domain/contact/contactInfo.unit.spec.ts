import { isLeft, isRight } from 'fp-ts/Either';
import { validateContactInfo, type ContactObject } from './contactInfo';

const custom = { type: 'id', value: 'phrw1oc5', service: 'custom', origin: 'custom' };
const object = (overrides: Partial<ContactObject> = {}): ContactObject => ({
  name: 'Vasya Pupkin',
  contacts: [custom],
  ...overrides,
});
const code = (input: Parameters<typeof validateContactInfo>[0]) => {
  const result = validateContactInfo(input);
  return isLeft(result) ? result.left.code : 'valid';
};

describe('contact info rules of the seed', () => {
  it('needs contact_object or contacts_id', () => {
    expect(code({})).toBe('E_CONTACT_INFO_REQUIRED');
    expect(code({ contactObject: null, contactsId: [] })).toBe('E_CONTACT_INFO_REQUIRED');
  });
  it('refuses both at once', () =>
    expect(
      code({ contactObject: object(), contactsId: [{ id: '5c52bf6f3e308a00367a7fae' }] }),
    ).toBe('E_CONTACT_INFO_CONFLICT'));
  it('needs a value in every contact data item', () => {
    expect(
      code({
        contactObject: object({
          contacts: [custom, { type: 'phone', value: ' ', service: 'sms' }],
        }),
      }),
    ).toBe('E_CONTACTS_VALUE_REQUIRED');
    expect(code({ contactObject: object({ contacts: [{ type: 'id', service: 'custom' }] }) })).toBe(
      'E_CONTACTS_VALUE_REQUIRED',
    );
  });
  it('needs custom contact data in contact_object', () =>
    expect(
      code({
        contactObject: object({
          contacts: [{ type: 'phone', value: '+79876543210', service: 'sms' }],
        }),
      }),
    ).toBe('E_CUSTOM_CONTACTS_REQUIRED'));
  it('needs a well-formed contact_object._id', () =>
    expect(code({ contactObject: object({ _id: 'not-an-id' }) })).toBe('E_MALFORMED_CONTACT_ID'));
  it('needs well-formed contacts_id ids', () =>
    expect(code({ contactsId: [{ id: '5c52bf6f3e308a00367a7fae' }, { id: 'xyz' }] })).toBe(
      'E_MALFORMED_CONTACT_ID',
    ));
  it('refuses an empty value in contacts_id', () =>
    expect(code({ contactsId: [{ id: '5c52bf6f3e308a00367a7fae', value: '' }] })).toBe(
      'E_CONTACTS_VALUE_REQUIRED',
    ));
  it('refuses contacts_id items of another service', () =>
    expect(code({ contactsId: [{ id: '5c52bf6f3e308a00367a7fae', service: 'mail' }] })).toBe(
      'E_CUSTOM_CONTACTS_REQUIRED',
    ));
  it('accepts a contact object and trims values', () => {
    const result = validateContactInfo({
      contactObject: object({ contacts: [{ ...custom, value: ' abc ' }] }),
    });
    expect(isRight(result) && result.right).toEqual({
      kind: 'object',
      contactId: null,
      name: 'Vasya Pupkin',
      description: undefined,
      data: [{ type: 'id', value: 'abc', service: 'custom', origin: 'custom' }],
    });
  });
  it('accepts contacts_id with the changes it carries', () => {
    const result = validateContactInfo({
      contactsId: [{ id: '5c52bf6f3e308a00367a7fae', value: 'new', origin: null }],
    });
    expect(isRight(result) && result.right).toEqual({
      kind: 'references',
      items: [{ id: '5c52bf6f3e308a00367a7fae', changes: { value: 'new', origin: null } }],
    });
  });
});
