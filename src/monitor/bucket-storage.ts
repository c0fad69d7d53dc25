// How buckets sit in the DeploymentMonitor's SQLite storage: the encodeBucket text,
// deflated with a preset dictionary (bucket-dictionary.ts), as a BLOB. Deflate recovers the
// base64 overhead of the encoded sketches and more, and the dictionary the layout every
// bucket repeats, which keeps 35 days of hourly buckets and the release arms within the bound.
import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";
import { type Bucket, decodeBucket, encodeBucket } from "../window/bucket";
import { BUCKET_DICTIONARY } from "./bucket-dictionary";

/** Deflates text with the buckets' dictionary. */
export function packText(text: string): Uint8Array {
  return deflateSync(strToU8(text), { level: 9, dictionary: BUCKET_DICTIONARY });
}

/** The text of packText (and of rows deflated without a dictionary, stored before it). */
export function unpackText(blob: ArrayBuffer | Uint8Array): string {
  const bytes = blob instanceof Uint8Array ? blob : new Uint8Array(blob);
  return strFromU8(inflateSync(bytes, { dictionary: BUCKET_DICTIONARY }));
}

export function packBucket(bucket: Bucket): Uint8Array {
  return packText(encodeBucket(bucket));
}

export function unpackBucket(blob: ArrayBuffer | Uint8Array): Bucket {
  return decodeBucket(unpackText(blob));
}
