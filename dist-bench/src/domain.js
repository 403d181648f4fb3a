/** The seven ways a round can end. */
export const OUTCOMES = [
    'DEFENDED',
    'INSTANT_BLOCKED',
    'BREACHED',
    'ATTACKER_REFUSED',
    'TRUE_NEGATIVE',
    'FALSE_POSITIVE',
    'ERROR',
];
//# sourceMappingURL=domain.js.map