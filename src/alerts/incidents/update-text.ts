// A written incident update as people submit it: a status and a short plain text, with the
// text's rules (length, no control characters, no markup), shared by the API and the dashboard.
import { INCIDENT_UPDATE_STATUSES } from "../../db/schema";
import { z } from "../../zod";

export const MAX_UPDATE_CHARS = 2_000;

// C0/C1 controls but tab and line feed, and the invisible direction marks and overrides
// that can make a public text read differently from what was typed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
// A tag or comment: the page shows text as typed, so markup would appear verbatim.
const MARKUP = /<\/?[a-z][^<>]*>|<!--/i;

/** Line breaks as "\n" and no surrounding blanks: the text as stored and shown. */
export const normaliseUpdateText = (text: string) => text.replace(/\r\n?/g, "\n").trim();

/** Plain text of at most `max` characters after trimming, line breaks kept (also maintenance text). */
export const plainTextSchema = (max: number) =>
  z
    .string()
    .transform(normaliseUpdateText)
    .pipe(
      z
        .string()
        .min(1, "must not be empty")
        .max(max, `must be at most ${max} characters`)
        .refine((t) => !CONTROL.test(t), "control characters are not allowed (line breaks are)")
        .refine(
          (t) => !MARKUP.test(t),
          "plain text only: remove the markup (tags are not rendered)",
        ),
    )
    .meta({ description: `Plain text, 1..${max} characters after trimming; line breaks kept` });

export const UpdateTextSchema = plainTextSchema(MAX_UPDATE_CHARS);

export const NewIncidentUpdateSchema = z
  .strictObject({
    status: z.enum(INCIDENT_UPDATE_STATUSES).meta({
      description: "`resolved` on an open incident resolves it by hand, as POST …/resolve does",
    }),
    text: UpdateTextSchema,
  })
  .meta({ id: "NewIncidentUpdate" });

export type NewIncidentUpdate = z.output<typeof NewIncidentUpdateSchema>;
