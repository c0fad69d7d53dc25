// How often a firing incident repeats its notification: the rule's setting and its bounds.
// Both the rule schema and the incident machine read these, so they live below both.

/** A firing incident reminds every 4 hours unless its rule says otherwise. */
export const DEFAULT_REPEAT_INTERVAL_MINUTES = 240;
/** Reminders at least once a week while an incident fires. */
export const MAX_REPEAT_INTERVAL_MINUTES = 7 * 24 * 60;
