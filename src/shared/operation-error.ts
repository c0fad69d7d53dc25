// The refusals a domain operation can answer without knowing about HTTP: the thing is not
// there, or it is not in a state that allows the operation. The HTTP kernel maps each code
// to its status (404, 409) in the one error envelope.
export type OperationErrorCode = "not_found" | "conflict";

export class OperationError extends Error {
  constructor(
    readonly code: OperationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OperationError";
  }
}
