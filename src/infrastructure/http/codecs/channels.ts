import * as t from 'io-ts';
import { nonEmptyString } from './primitives';

export const channelName = nonEmptyString(200);

export const createChannelBody = t.type({ name: channelName });

/** PATCH /api/channels/{id}: rename, enable or disable, any of them at once */
export const changeChannelBody = t.partial({ name: channelName, enabled: t.boolean });
