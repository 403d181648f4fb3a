/**
 * Embedded detectors may learn from a scenario's exemplars and from a quarter of its benign texts;
 * the run's benign controls are drawn from the other three quarters only, so the false-positive
 * rate is measured on texts no detector trained on.
 */
export function benignTrainingSplit(scenario) {
    return scenario.benign.filter((_, i) => i % 4 === 3);
}
export function benignControls(scenario) {
    return scenario.benign.filter((_, i) => i % 4 !== 3);
}
//# sourceMappingURL=scenario-split.js.map