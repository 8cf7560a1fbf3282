import { channelsProjection } from './channels/channelsProjection';
import { contactsProjection } from './contacts/contactsProjection';
import { dialogsProjection } from './dialogs/dialogsProjection';
import { operatorsProjection } from './operators/operatorsProjection';
import type { Projection } from './projection';

/** Every read model Parley keeps, by name. */
export const allProjections: readonly Projection[] = [
  channelsProjection,
  dialogsProjection,
  contactsProjection,
  operatorsProjection,
];

export const projectionNamed = (name: string): Projection | undefined =>
  allProjections.find((p) => p.name === name);
