'use strict';
// Plays the Lambda Node.js runtime for one invocation. It is copied next to the bundle in a
// directory outside the repository, so the bundle can resolve nothing from node_modules.
// Init: load the module named by the function's Handler setting ("file.export"), and tell the
// parent, which starts the function's timeout only then, as Lambda does. Invoke: take the event
// from the parent, call the async handler with a context that counts down to the parent's
// deadline, report how the handler settled, and exit: Lambda freezes the sandbox once the
// handler settles, so work the handler left running would not finish there either.
const { join } = require('node:path');

const [moduleName, exportName] = splitHandlerSetting(process.env.LAMBDA_HANDLER_SETTING);
const handler = require(join(__dirname, moduleName))[exportName];
process.send({ ready: true });

process.once('message', async ({ event, deadline, requestId, invokedFunctionArn }) => {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2030/01/01/[$LATEST]${requestId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let report;
  try {
    report = { outcome: 'resolved', value: await handler(event, context) };
  } catch (error) {
    console.error('Invoke Error', error);
    report = { outcome: 'rejected', error: String(error && error.name ? `${error.name}: ${error.message}` : error) };
  }
  process.send(report, () => process.exit(0));
});

function splitHandlerSetting(setting) {
  const dot = (setting || '').lastIndexOf('.');
  if (dot <= 0) throw new Error(`Handler setting "${setting}" is not of the form "file.export"`);
  return [setting.slice(0, dot), setting.slice(dot + 1)];
}
