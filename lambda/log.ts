/**
 * One structured log line per event. Never the raw event or the ResponseURL: the presigned
 * URL lets whoever reads the logs answer CloudFormation in the handler's place.
 */

export interface InvocationLogEntry {
  readonly requestType: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId: string;
  readonly outcome: 'SUCCESS' | 'FAILED';
  /** Requests sent to Amazon Connect, retries and state checks included. */
  readonly attempts: number;
  readonly durationMs: number;
  readonly reason?: string;
  /** What became of the association: made, adopted, removed, kept (other declarations hold it) or absent. */
  readonly association?: string;
  /** Set for a failed Update that had removed the previous association: whether it was put back. */
  readonly previousAssociationRestored?: boolean;
  /** Reads of the stack through CloudFormation's API: whether it still waits, a rollback, holders that are gone. */
  readonly stackReads?: number;
  /** Set when CloudFormation could not be asked (the error's name); the work went on as if it waited. */
  readonly stackCheckUnavailable?: string;
  /** Where the answer went, without the query that signs it. */
  readonly responseUrl: string;
  /** Set when no try of the response PUT succeeded. */
  readonly responseError?: string;
}

export function logInvocation(entry: InvocationLogEntry): void {
  console.log(JSON.stringify(entry));
}

/** `protocol//host/path?***`: the query (X-Amz-Signature and the rest) is dropped. */
export function redactUrl(url: unknown): string {
  try {
    const parsed = new URL(String(url));
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}?***`;
  } catch {
    return '***';
  }
}

/** A queued message that carried no CloudFormation request: dropped, since nobody waits for an answer. */
export function logDropped(messageId: string): void {
  console.log(JSON.stringify({ messageId, outcome: 'DROPPED', reason: 'The message carries no CloudFormation request.' }));
}
