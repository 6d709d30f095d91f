import { ROLE_LABEL, Screen, SCREENS } from '../roles';
import { Link } from './Link';
import { useSession } from '../session-context';

/** Shown instead of a console the signed-in role may not open; nothing of that console is loaded. */
export function Forbidden({ screen }: { screen: Screen }) {
  const session = useSession();
  const mine = SCREENS.filter((s) => s.roles.includes(session.role));
  const needs = screen.roles.map((r) => ROLE_LABEL[r]).join(' or ');
  return (
    <section className="panel notice notice--refused" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">Not available to your role</h1>
      <p>
        The {screen.label.toLowerCase()} console needs the {needs} role. You are signed in as “{session.tokenName}” ({ROLE_LABEL[session.role]}).
      </p>
      <p>
        {mine.map((s) => (
          <Link key={s.path} className="button" href={s.path}>
            Go to {s.label.toLowerCase()}
          </Link>
        ))}
      </p>
    </section>
  );
}

export function NotFound() {
  return (
    <section className="panel notice" aria-labelledby="nf-title">
      <h1 id="nf-title">No such page</h1>
      <p>
        <Link className="button" href="/">
          Back to the start
        </Link>
      </p>
    </section>
  );
}
