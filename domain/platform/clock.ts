/** The current time, injectable so rules about expiry can be tested at their edges. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
