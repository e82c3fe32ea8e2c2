// The variables the release reads at run time, split into secrets (a Secret, `fly secrets`, an
// uncommitted .env: never a value in a committed file) and plain settings (with the value every
// platform starts from). A variable we know nothing about is a secret: we cannot tell a safe
// value, and the secret's slot is where the user fills it in.

export interface SecretVar {
  name: string;
  /** How to get a value, said next to the empty slot (`mix phx.gen.secret`). */
  hint: string;
}

export interface PlainVar {
  name: string;
  value: string;
}

export interface DeployEnv {
  secrets: SecretVar[];
  plain: PlainVar[];
}

export interface EnvInput {
  runtimeEnv: string[];
  http: boolean;
  port: number;
  database: 'postgres' | 'mysql' | 'sqlite' | null;
  dataDir: string | null;
  release: string;
  cluster: boolean;
}

type Known = { secret: true; hint: string } | { secret: false; value: (input: EnvInput) => string };

// The variables phx.new's runtime.exs reads, plus the cookie the release script reads.
const KNOWN: Record<string, Known> = {
  SECRET_KEY_BASE: { secret: true, hint: 'generate one with: mix phx.gen.secret' },
  DATABASE_URL: { secret: true, hint: 'ecto://USER:PASSWORD@HOST/DATABASE' },
  RELEASE_COOKIE: { secret: true, hint: 'the same random string on every node: mix phx.gen.secret 32' },
  PHX_HOST: { secret: false, value: () => 'example.com' },
  PORT: { secret: false, value: (input) => String(input.port) },
  POOL_SIZE: { secret: false, value: () => '10' },
  ECTO_IPV6: { secret: false, value: () => 'false' },
  DATABASE_PATH: { secret: false, value: (input) => `${input.dataDir ?? '/data'}/${input.release}.db` },
};

// Set by something else than the deploy files: bin/server (PHX_SERVER), env.sh and the release
// script (RELEASE_*), the platform (FLY_*, POD_IP), the image (MIX_ENV, LANG...). DNS_CLUSTER_QUERY
// is set per platform, and only when clustering is on.
const NOT_OURS = /^(PHX_SERVER|DNS_CLUSTER_QUERY|POD_IP|MIX_ENV|HOME|PATH|LANG|LANGUAGE|LC_ALL|HOSTNAME|TERM|FLY_.*|RELEASE_(?!COOKIE$).*)$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variables the platforms must provide, secrets first in a fixed order, then what runtime.exs reads. */
export function deployEnvOf(input: EnvInput): DeployEnv {
  const wanted = [...required(input), ...input.runtimeEnv].filter((name, i, all) => VARIABLE.test(name) && !NOT_OURS.test(name) && all.indexOf(name) === i);
  const secrets: SecretVar[] = [];
  const plain: PlainVar[] = [];
  for (const name of wanted) {
    const known = KNOWN[name];
    if (known && !known.secret) plain.push({ name, value: known.value(input) });
    else secrets.push({ name, hint: known?.hint ?? 'read by config/runtime.exs' });
  }
  return { secrets: orderSecrets(secrets), plain };
}

/** What the generated files rely on whatever runtime.exs says (the runtime step adds what is missing). */
function required(input: EnvInput): string[] {
  return [
    ...(input.http ? ['SECRET_KEY_BASE', 'PHX_HOST', 'PORT'] : []),
    ...(input.database === 'postgres' || input.database === 'mysql' ? ['DATABASE_URL'] : []),
    ...(input.database === 'sqlite' ? ['DATABASE_PATH'] : []),
    ...(input.cluster ? ['RELEASE_COOKIE'] : []),
  ];
}

const SECRET_ORDER = ['SECRET_KEY_BASE', 'DATABASE_URL', 'RELEASE_COOKIE'];

function orderSecrets(secrets: SecretVar[]): SecretVar[] {
  const rank = (s: SecretVar) => {
    const i = SECRET_ORDER.indexOf(s.name);
    return i === -1 ? SECRET_ORDER.length : i;
  };
  return secrets.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}

/** `env` with the platform's own values: `set` replaces variables already there, `add` appends new ones. */
export function withPlain(env: DeployEnv, changes: { set?: PlainVar[]; add?: PlainVar[] }): DeployEnv {
  const plain = env.plain.map((v) => changes.set?.find((o) => o.name === v.name) ?? v);
  const taken = (name: string) => plain.some((v) => v.name === name) || env.secrets.some((s) => s.name === name);
  return { secrets: env.secrets, plain: [...plain, ...(changes.add ?? []).filter((v) => !taken(v.name))] };
}
