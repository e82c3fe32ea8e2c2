// What a patch of one of the user's files comes to: the new text, nothing to do, or a snippet
// for the user to add by hand with the reason the file was left alone.

export type PatchOutcome =
  | { kind: 'patch'; content: string }
  | { kind: 'present'; note?: string }
  | { kind: 'snippet'; reason: string; snippet: string };

/** Advice on a user file the run could not (or was told not to) patch, printed after the statuses. */
export interface PatchAdvice {
  file: string;
  message: string;
  snippet: string;
}
