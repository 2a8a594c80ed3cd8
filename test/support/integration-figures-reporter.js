'use strict';
// Ends jest's output with what the integration sequences covered: how many sequences ran,
// faults were injected and responses were checked, and whether every one passed. The tests
// append their figures to a file whose path this reporter hands them through the environment
// (jest's workers inherit it: reporters are constructed before the workers start).
const { mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, sep } = require('node:path');

const FIGURES_FILE_VARIABLE = 'INTEGRATION_FIGURES_FILE';
const INTEGRATION_FOLDER = `${sep}test${sep}integration${sep}`;

class IntegrationFiguresReporter {
  constructor() {
    this.directory = mkdtempSync(join(tmpdir(), 'integration-figures-'));
    this.file = join(this.directory, 'figures.jsonl');
    writeFileSync(this.file, '');
    process.env[FIGURES_FILE_VARIABLE] = this.file;
  }

  onRunComplete(_contexts, results) {
    const totals = { sequences: 0, faults: 0, responses: 0 };
    for (const line of readFileSync(this.file, 'utf8').split('\n').filter(Boolean)) {
      const figures = JSON.parse(line);
      for (const key of Object.keys(totals)) totals[key] += figures[key];
    }
    rmSync(this.directory, { recursive: true, force: true });

    const integration = results.testResults.filter((file) => file.testFilePath.includes(INTEGRATION_FOLDER));
    if (integration.length === 0) return;
    const count = (field) => integration.reduce((sum, file) => sum + file[field], 0);
    const failed = count('numFailingTests') + integration.filter((file) => file.testExecError).length;
    const skipped = count('numPendingTests') + count('numTodoTests');
    const verdict = [failed === 0 ? 'all passing' : `${failed} FAILING`, skipped > 0 ? `${skipped} SKIPPED` : '']
      .filter(Boolean)
      .join(', ');
    const line =
      `\nIntegration: ${totals.sequences} sequences run, ${totals.faults} faults injected, ` +
      `${totals.responses} responses checked, ${verdict}\n`;
    // jest's summary reporter always runs after custom ones; the figures close the output.
    process.once('exit', () => writeSync(process.stderr.fd, line));
  }
}

module.exports = IntegrationFiguresReporter;
