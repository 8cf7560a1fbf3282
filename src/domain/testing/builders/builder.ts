type Message = { type: string; data: object };
type Of<U extends Message, K extends U['type']> = Extract<U, { type: K }>;

/**
 * Builders for events and commands with readable defaults; a spec states only what matters:
 * `messageReceived({ text: 'hi' })`.
 */
export const builderOf =
  <U extends Message>() =>
  <K extends U['type']>(type: K, defaults: () => Of<U, K>['data']) =>
  (data: Partial<Of<U, K>['data']> = {}): Of<U, K> =>
    ({ type, data: { ...defaults(), ...data } }) as unknown as Of<U, K>;
