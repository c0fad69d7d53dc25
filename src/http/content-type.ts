// The JSON body routes' Content-Type check. Without it, Hono's json validator reads a body
// sent without `Content-Type: application/json` as `{}`, and the caller is told that fields
// they did send are missing; a 415 names the real problem instead.
import { ApiError } from "./errors";

/** application/json, or a structured-syntax type such as application/merge-patch+json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/**
 * The media type a Content-Type header names, lower case and without parameters
 * ("Application/JSON; charset=utf-8" → "application/json"); `missing` when there is none.
 */
export function mediaTypeOf(header: string | undefined, missing = ""): string {
  if (header === undefined) return missing;
  return header.split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Throws 415 naming the expected type unless the header names a JSON media type. */
export function requireJsonContentType(header: string | undefined): void {
  const type = mediaTypeOf(header);
  if (JSON_MEDIA_TYPE.test(type)) return;
  const sent = type === "" ? "No Content-Type was sent" : `Content-Type '${type}' is not supported`;
  throw new ApiError(
    "unsupported_media_type",
    `${sent}; this route takes a JSON body: send 'Content-Type: application/json'`,
    { expected: "application/json", received: type === "" ? null : type },
  );
}
