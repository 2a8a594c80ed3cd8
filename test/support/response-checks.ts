import { Delivery } from './cloudformation-driver';

// CloudFormation refuses a response body larger than this ("Response object is too long").
const MAX_RESPONSE_BYTES = 4096;

/**
 * What every delivery in every sequence must show, whatever the scenario: the handler settled
 * cleanly, gave one answer, over the URL it was given, before its deadline, with a body
 * CloudFormation accepts, kept the physical id, and wrote none of the URL's credentials to its logs.
 */
export function checkDelivery(delivery: Delivery): void {
  const { event, invocation, requests, signature } = delivery;
  const url = new URL(event.ResponseURL);
  const request = `${event.RequestType} ${event.RequestId}`;

  // Whoever reads the presigned query in the logs can answer in the handler's place.
  const logs = invocation.logs.toLowerCase();
  const leaked = [url.search.slice(1), signature, 'X-Amz-Signature'].filter((secret) => logs.includes(secret.toLowerCase()));
  expect({ request, leaked }).toEqual({ request, leaked: [] });

  // Lambda retries an asynchronous invocation that fails or times out: the event would run again.
  expect({ request, outcome: invocation.outcome, error: invocation.error }).toEqual({ request, outcome: 'resolved', error: undefined });

  // The signature covers the path and query exactly as CloudFormation wrote them.
  const targets = requests.map(({ method, url: target }) => `${method} ${target}`);
  expect({ request, targets }).toEqual({ request, targets: requests.map(() => `PUT ${url.pathname}${url.search}`) });

  // Before the deadline: the handler settled (above) only once its PUT was answered, and the
  // process is killed at the deadline. When this process's loop noticed the request says
  // nothing more, and on a busy machine it notices late.
  // One answer: a PUT try that S3 was slow to acknowledge is sent again, and the second copy,
  // the same body, overwrites the first, as S3 does.
  const accepted = requests.filter(({ answeredWith }) => answeredWith === 200);
  expect({ request, answered: accepted.length > 0, bodies: new Set(accepted.map(({ body }) => body)).size }).toEqual({
    request,
    answered: true,
    bodies: 1,
  });
  const [response] = accepted;
  // S3 refuses a PUT without Content-Length (a chunked body).
  expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body)));
  expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);

  const body = JSON.parse(response.body);
  expect(body).toEqual(
    expect.objectContaining({
      Status: expect.stringMatching(/^(SUCCESS|FAILED)$/),
      PhysicalResourceId: expect.stringMatching(/^.{1,1024}$/s),
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    }),
  );
  if (body.Status === 'FAILED') {
    expect(body.Reason).toEqual(expect.stringMatching(/\S/));
  }
  // A changed id makes CloudFormation delete the "old" resource: the association in use.
  if (event.RequestType !== 'Create') {
    expect({ request, PhysicalResourceId: body.PhysicalResourceId }).toEqual({ request, PhysicalResourceId: event.PhysicalResourceId });
  }
}
