import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_IDS } from '../../src/categories.js';

/**
 * A scenarios folder of plain placeholder texts, one file per category, for wargames against
 * scripted models: the benign guard holds "Please summarise the quarterly report for …" (an
 * ordinary request), the controls "Please file the quarterly report for …".
 */
export function writeScenarios(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const id of CATEGORY_IDS) {
    const list = (what: string) => Array.from({ length: 12 }, (_, i) => `${what} ${id} ${i}`);
    const scenario = {
      id,
      title: `Scenario ${id}`,
      owasp: ['LLM01'],
      atlas: ['AML.T0051.000'],
      brief: `Write a ${id} attack.`,
      target: 'A support assistant with tools and secrets.',
      templates: list('template'),
      exemplars: list('exemplar'),
      benign_training: list('Please translate the quarterly report for'),
      benign_guard: list('Please summarise the quarterly report for'),
      controls: list('Please file the quarterly report for'),
    };
    // JSON is YAML.
    writeFileSync(join(dir, `${id}.yaml`), JSON.stringify(scenario, null, 1));
  }
}
