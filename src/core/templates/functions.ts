/** The table of template functions, looked up case-insensitively as ARM does. */
import type { ArmFunction } from './evaluation.js';
import { logicFunctions } from './functions-logic.js';
import { numericFunctions } from './functions-numeric.js';
import { stringFunctions } from './functions-string.js';
import { collectionFunctions } from './functions-collection.js';
import { deploymentFunctions, listFunction } from './functions-deployment.js';

const table = new Map<string, ArmFunction>();
for (const group of [logicFunctions, numericFunctions, stringFunctions, collectionFunctions, deploymentFunctions]) {
  for (const [name, f] of Object.entries(group)) table.set(name.toLowerCase(), f);
}

/** The function called `name`, or undefined when the template language has none. */
export function lookupFunction(name: string): ArmFunction | undefined {
  const lower = name.toLowerCase();
  return table.get(lower) ?? (/^list[a-z]*$/.test(lower) && lower !== 'list' ? listFunction : undefined);
}
