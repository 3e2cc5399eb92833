/** The shape of an invitation, shared by the form, the JSON API and the CSV upload. */
import { z } from "zod";

export const ROLES = ["student", "teacher", "parent", "admin"] as const;

const optional = (schema: z.ZodType<string>) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    schema.optional(),
  );

export const InvitationInput = z.object({
  fullName: z.string().trim().min(1, "Enter the person's name.").max(200, "That name is too long."),
  email: optional(z.email("That email address does not look right.").max(254)),
  phone: optional(
    z.string().trim().regex(
      /^\+[1-9][0-9]{7,14}$/,
      "Write the phone number with its country code, e.g. +254712345678.",
    ),
  ),
  role: z.enum(ROLES, "Choose student, teacher, parent or admin."),
  studentIds: z.array(z.uuid()).max(20).optional(),
}).refine((v) => v.email || v.phone, {
  message: "Give an email address or a phone number.",
  path: ["email"],
});

export type InvitationInput = z.infer<typeof InvitationInput>;
