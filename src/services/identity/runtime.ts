/** The two ambient inputs of the identity services, injected so tests control time and ids. */
import { randomUUID } from 'node:crypto';

/** The current time. */
export type Clock = () => Date;
/** A fresh object id (lower-case GUID). */
export type IdSource = () => string;

/** The wall clock. */
export const systemClock: Clock = () => new Date();
/** Random (version 4) GUIDs. */
export const randomIds: IdSource = () => randomUUID();
