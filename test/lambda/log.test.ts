import { redactUrl } from '../../lambda/log';

describe('redactUrl', () => {
  test('keeps protocol, host and path, and drops the query that signs the URL', () => {
    const url =
      'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws%3Acloudformation%7CAlias%7Creq' +
      '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20300101&X-Amz-Signature=0123abcd';
    expect(redactUrl(url)).toBe(
      'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws%3Acloudformation%7CAlias%7Creq?***',
    );
  });

  test('drops credentials written into the authority', () => {
    expect(redactUrl('https://user:password@127.0.0.1:8443/path?q=1')).toBe('https://127.0.0.1:8443/path?***');
  });

  test('shows nothing of what is not a URL', () => {
    expect(redactUrl('not a url?X-Amz-Signature=secret')).toBe('***');
    expect(redactUrl(undefined)).toBe('***');
  });
});
