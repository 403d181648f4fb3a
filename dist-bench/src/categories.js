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
];
export function isCategoryId(value) {
    return CATEGORY_IDS.includes(value);
}
/** MITRE ATLAS technique ids change between releases; these are v5.6.0. */
export const ATLAS_VERSION = 'v5.6.0';
/**
 * The category stored for an `eval` corpus row that names none. It is not one of the 13 (no
 * scenario, no `--category` value): reports list it as its own row after them.
 */
export const UNCATEGORISED = 'uncategorised';
//# sourceMappingURL=categories.js.map