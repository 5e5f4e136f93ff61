/** The bytes are not a valid protobuf encoding of the expected message: HTTP 400. */
export class ProtobufDecodeError extends Error {
  override readonly name = "ProtobufDecodeError";
  readonly errorType = "bad_data";
  readonly status = 400;

  constructor(
    message: string,
    /** Byte offset in the message where decoding failed. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}
