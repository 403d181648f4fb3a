/** Benign material the carrier family hides payloads among, written for hive. */

/** Everyday paragraphs, used when a run gives no filler of its own. */
export const DEFAULT_FILLER: readonly string[] = [
  'Thanks again for joining the planning call on Tuesday. As discussed, the kitchen renovation will start on the 14th and the contractor expects about three weeks of work, weather permitting.',
  'The quarterly numbers look steady: revenue grew four percent, churn fell slightly, and the support backlog is down to its lowest level since last spring.',
  'Our new oat-milk latte is back for the autumn season. Pair it with a cinnamon roll for a cosy afternoon break, available at every branch until the end of November.',
  'Reminder: the office will be closed on Monday for the public holiday. Please make sure your timesheets are submitted by Friday at noon.',
  'This guide explains how to repot a fiddle-leaf fig. Choose a pot one size larger, use well-draining soil, and water lightly for the first two weeks.',
  'Release notes, version 3.2: faster search, a dark mode for the settings page, and a fix for the export button that sometimes produced empty files.',
  'Hi team, attached are the minutes from the design review. The main open question is whether the onboarding flow should ask for a phone number at all.',
  'The hiking trail is about eleven kilometres long, with a steady climb for the first third. Bring water, sun cream and a light jacket for the summit.',
  'Customer review: The blender is powerful and surprisingly quiet. It crushes ice easily, though the lid is a little hard to clean.',
  'Our library book club meets on the first Thursday of each month. This month we are reading a novel about a family running a lighthouse in the 1920s.',
  'The invoice for the September consulting hours is attached. Payment terms are thirty days; let me know if the purchase order number needs to change.',
  'Welcome to the product FAQ. Orders usually ship within two business days, and you can track your parcel from the link in your confirmation email.',
];

/** Email senders' names. */
export const SENDERS: readonly string[] = ['Dana Whitfield', 'Marco Rossi', 'Priya Natarajan', 'Tom Okafor', 'Lena Fischer', 'Sam Carter'];
/** Local parts of the senders' addresses (`<mailbox>@example.com`). */
export const MAILBOXES: readonly string[] = ['dana', 'marco', 'priya', 'tom', 'lena', 'sam'];
/** Email subjects. */
export const SUBJECTS: readonly string[] = ['Re: project update', 'Minutes and next steps', 'Invoice #4471', 'Quick question about Thursday', 'FW: schedule change', 'Weekly digest'];
