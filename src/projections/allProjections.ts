import { channelsProjection } from './channels/channelsProjection';
import { contactsProjection } from './contacts/contactsProjection';
import { dialogsProjection } from './dialogs/dialogsProjection';
import type { Projection } from './projection';

/** Every read model Parley keeps, by name. */
export const allProjections: readonly Projection[] = [
  channelsProjection,
  dialogsProjection,
  contactsProjection,
];

export const projectionNamed = (name: string): Projection | undefined =>
  allProjections.find((p) => p.name === name);
