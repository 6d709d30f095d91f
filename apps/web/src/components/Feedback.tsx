/** The result of a form's last action, announced politely; kept in the page while empty so screen readers catch the update. */
export function Feedback({ text }: { text: string | null | undefined }) {
  return (
    <p className="feedback" role="status">
      {text}
    </p>
  );
}
