/**
 * Defaults a command shows in its --help and the layer below uses, kept apart from the modules
 * that use them so that declaring a command's options loads none of its machinery.
 */

/** `hive doctor --timeout` and every preflight: how long one host may take to answer, in ms. */
export const DEFAULT_PREFLIGHT_TIMEOUT_MS = 10_000;

/** `hive ci`: wargame rounds when --rounds is not given. */
export const DEFAULT_CI_ROUNDS = 200;
