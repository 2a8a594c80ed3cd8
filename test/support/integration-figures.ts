import { appendFileSync } from 'node:fs';

/**
 * What the integration sequences did, summed up by integration-figures-reporter.js at the end
 * of the run. Tests run in jest's worker processes, so each adds a line to the file the
 * reporter names in this variable (set before the workers start).
 */
const FIGURES_FILE_VARIABLE = 'INTEGRATION_FIGURES_FILE';

export interface IntegrationFigures {
  readonly sequences: number;
  readonly faults: number;
  readonly responses: number;
}

export function recordFigures(figures: IntegrationFigures): void {
  const file = process.env[FIGURES_FILE_VARIABLE];
  if (file) appendFileSync(file, `${JSON.stringify(figures)}\n`);
}
