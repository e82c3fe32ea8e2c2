import { CreateReleaseError } from '../errors.js';

// Mix's own rule for application names (Mix.Tasks.New); the generated files embed the name in
// paths, atoms and module names, so anything else would produce broken code.
const APP_NAME = /^[a-z][a-z0-9_]*$/;
// Elixir aliases are ASCII: an uppercase letter, then letters, digits or underscores, joined by dots.
const ALIAS = /^[A-Z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*$/;

/** Camelizes like Elixir's `Macro.camelize/1`: `my_app` → `MyApp`, `my_2app` → `My2app`. */
export function camelize(app: string): string {
  return app.split('/').map(camelizeSegment).join('.');
}

function camelizeSegment(segment: string): string {
  const rest = segment.replace(/^_+/, '');
  let out = upcase(rest.slice(0, 1));
  for (let i = 1; i < rest.length; i++) {
    const ch = rest[i]!;
    if (ch !== '_') {
      out += ch;
      continue;
    }
    // A run of underscores collapses to one, which disappears before a lowercase letter (upcased),
    // a digit, or the end, and stays before anything else (`a_B` → `A_B`).
    while (rest[i + 1] === '_') i++;
    const next = rest[i + 1];
    if (next === undefined) break;
    if ((next >= 'a' && next <= 'z') || (next >= '0' && next <= '9')) {
      out += upcase(next);
      i++;
    } else {
      out += '_';
    }
  }
  return out;
}

// Elixir's to_upper_char only touches a-z.
function upcase(ch: string): string {
  return ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch;
}

/** Throws unless `name` is an application name Mix accepts. `where` prefixes the message. */
export function validateAppName(name: string, where = 'mix.exs'): void {
  if (APP_NAME.test(name)) return;
  throw new CreateReleaseError(
    `${where}: app name ${JSON.stringify(name)} is not valid: Mix requires a lowercase letter ` +
      'followed by lowercase letters, digits or underscores (^[a-z][a-z0-9_]*$); rename the app in mix.exs',
  );
}

/** Throws unless `name` is a module alias such as `AcmeAPI` or `Acme.Shop`. */
export function validateNamespace(name: string, where = 'config/config.exs'): void {
  if (ALIAS.test(name)) return;
  throw new CreateReleaseError(
    `${where}: namespace ${JSON.stringify(name)} is not a valid module name: use an alias such as ` +
      'AcmeAPI (an uppercase letter, then letters, digits or underscores, dot-separated)',
  );
}
