/** The 13 attack categories. Ids are the public contract: scenario file names, --category values, report rows. */
export const CATEGORY_IDS = [
  'prompt_injection',
  'indirect_injection',
  'jailbreak_roleplay',
  'authority_escalation',
  'social_engineering',
  'obfuscation',
  'context_poisoning',
  'logic_bomb',
  'data_exfiltration',
  'system_prompt_extraction',
  'tool_misuse',
  'supply_chain',
  'resource_exhaustion',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

export function isCategoryId(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}

/** MITRE ATLAS technique ids change between releases; these are v5.6.0. */
export const ATLAS_VERSION = 'v5.6.0';

/**
 * The category stored for an `eval` corpus row that names none. It is not one of the 13 (no
 * scenario, no `--category` value): reports list it as its own row after them.
 */
export const UNCATEGORISED = 'uncategorised';

/** What a round can be filed under: one of the 13, or `uncategorised` (eval rows without one). */
export type RoundCategory = CategoryId | typeof UNCATEGORISED;
