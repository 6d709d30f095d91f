/** A refusal or load error, announced to screen readers; nothing when there is none. */
export function ErrorLine({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
