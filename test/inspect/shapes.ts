// mix.exs files in the shapes people write, each with what inspectProject must read from it.
// Module names differ so that one Elixir process can load them all for the cross-check.
import type { ProjectFacts, ReleaseFacts } from '../../src/types.js';

/** What a shape must read as: the project's one app and the project-wide facts. */
export interface ShapeSummary {
  app: string;
  version: string | null;
  elixirRequirement: string | null;
  deps: string[];
  namespace: string;
  phoenix: boolean;
  ecto: boolean;
  ectoAdapters: string[];
  dnsCluster: boolean;
  releases: ReleaseFacts[];
}

export interface Shape {
  name: string;
  mixExs: string;
  /** Other files the project needs (so that Elixir itself can evaluate the mix.exs). */
  files?: Record<string, string>;
  expected: Partial<ShapeSummary>;
}

export function summarize(facts: ProjectFacts): ShapeSummary {
  const app = facts.apps[0]!;
  return {
    app: app.app,
    version: facts.version,
    elixirRequirement: facts.elixirRequirement,
    deps: facts.deps,
    namespace: app.namespace,
    phoenix: app.phoenix,
    ecto: app.ectoFrom !== null,
    ectoAdapters: facts.ectoAdapters,
    dnsCluster: facts.dnsCluster,
    releases: facts.releases,
  };
}

export const shapes: Shape[] = [
  {
    name: 'attribute app and version, inline deps',
    mixExs: `defmodule Ledger.MixProject do
  use Mix.Project

  def application, do: [mod: {Ledger.Application, []}]

  @app :ledger
  @version "2.3.1"

  def project do
    [
      app: @app,
      version: @version,
      elixir: "~> 1.16",
      deps: [{:jason, "~> 1.4"}, {:decimal, "~> 2.0"}]
    ]
  end
end
`,
    expected: { app: 'ledger', version: '2.3.1', elixirRequirement: '~> 1.16', deps: ['jason', 'decimal'], namespace: 'Ledger', phoenix: false },
  },
  {
    name: 'deps in a helper with only:/runtime:/path:/optional: options',
    mixExs: `defmodule Tools.MixProject do
  use Mix.Project

  def application, do: [mod: {Tools.Application, []}]

  def project do
    [app: :tools, version: "0.3.0", elixir: "~> 1.14", deps: deps()]
  end

  defp deps do
    [
      {:plug_cowboy, "~> 2.7"},
      {:credo, "~> 1.7", only: [:dev, :test], runtime: false},
      {:ex_doc, ">= 0.0.0", only: :dev, runtime: false},
      {:local_lib, path: "../local_lib"},
      {:myxql, "~> 0.7", optional: true},
      {:"dns_cluster", "~> 0.1"}
    ]
  end
end
`,
    expected: {
      app: 'tools',
      deps: ['plug_cowboy', 'credo', 'ex_doc', 'local_lib', 'myxql', 'dns_cluster'],
      ectoAdapters: ['myxql'],
      dnsCluster: true,
      ecto: false,
    },
  },
  {
    name: 'ecto_sql only in a comment, a string and a doc',
    mixExs: `defmodule Quiet.MixProject do
  use Mix.Project

  def application, do: [mod: {Quiet.Application, []}]

  @moduledoc "Add {:ecto_sql, \\"~> 3.10\\"} to deps when you need a database."

  def project do
    [
      app: :quiet,
      version: "0.1.0",
      description: "A small service that does not use ecto_sql or postgrex",
      deps: deps()
    ]
  end

  defp deps do
    [
      # {:ecto_sql, "~> 3.10"},
      # {:postgrex, ">= 0.0.0"},
      {:plug_cowboy, "~> 2.7"}
    ]
  end
end
`,
    expected: { app: 'quiet', deps: ['plug_cowboy'], ecto: false, ectoAdapters: [] },
  },
  {
    name: 'project/0 built with pipes',
    mixExs: `defmodule Piped.MixProject do
  use Mix.Project

  def application, do: [mod: {Piped.Application, []}]

  def project do
    [app: :piped, version: "0.2.0", elixir: "~> 1.15"]
    |> Keyword.merge(deps: deps(), releases: releases())
    |> Keyword.put(:start_permanent, Mix.env() == :prod)
  end

  defp deps, do: [{:bandit, "~> 1.5"}]

  defp releases do
    [piped: [include_executables_for: [:unix]]]
  end
end
`,
    expected: {
      app: 'piped',
      version: '0.2.0',
      deps: ['bandit'],
      releases: [{ name: 'piped', includeExecutablesFor: ['unix'], applications: {}, path: null, overlays: null, relTemplatesPath: null }],
    },
  },
  {
    name: 'one-line project/0 with Keyword.merge over a helper',
    mixExs: `defmodule Merged.MixProject do
  use Mix.Project

  def application, do: [mod: {Merged.Application, []}]

  def project, do: Keyword.merge(common(), app: :merged, deps: [{:plug, "~> 1.15"}])

  defp common, do: [version: "1.0.0", elixir: "~> 1.14", app: :overridden]
end
`,
    expected: { app: 'merged', version: '1.0.0', elixirRequirement: '~> 1.14', deps: ['plug'] },
  },
  {
    name: 'a pipe into a function we cannot follow: the literal keyword list still counts',
    mixExs: `defmodule FallbackHelpers do
  def customize(config), do: Keyword.put(config, :docs, [main: "readme"])
end

defmodule Fallback.MixProject do
  use Mix.Project

  def application, do: [mod: {Fallback.Application, []}]

  def project do
    [app: :fallback, version: "0.1.0", deps: deps()]
    |> FallbackHelpers.customize()
  end

  defp deps, do: [{:telemetry, "~> 1.2"}]
end
`,
    expected: { app: 'fallback', version: '0.1.0', deps: ['telemetry'] },
  },
  {
    name: 'releases with include_executables_for [:unix] and a custom name',
    mixExs: `defmodule ShopRel.MixProject do
  use Mix.Project

  def application, do: [mod: {ShopRel.Application, []}]

  def project do
    [
      app: :shop_rel,
      version: "0.1.0",
      deps: [],
      releases: [
        shop_prod: [
          include_executables_for: [:unix],
          applications: [runtime_tools: :permanent, observer: :load],
          path: "/opt/shop",
          overlays: ["rel/overlays", "rel/extra"],
          steps: [:assemble, :tar]
        ]
      ]
    ]
  end
end
`,
    expected: {
      app: 'shop_rel',
      deps: [],
      releases: [
        {
          name: 'shop_prod',
          includeExecutablesFor: ['unix'],
          applications: { runtime_tools: 'permanent', observer: 'load' },
          path: '/opt/shop',
          overlays: ['rel/overlays', 'rel/extra'],
          relTemplatesPath: null,
        },
      ],
    },
  },
  {
    name: 'two releases from a releases() helper',
    mixExs: `defmodule Duo.MixProject do
  use Mix.Project

  def application, do: [mod: {Duo.Application, []}]

  def project do
    [app: :duo, version: "0.5.0", releases: releases(), deps: []]
  end

  defp releases do
    [
      api: [applications: [duo: :permanent], include_executables_for: [:unix, :windows]],
      worker: [include_executables_for: ~w(unix)a, overlays: "rel/worker"]
    ]
  end
end
`,
    expected: {
      app: 'duo',
      releases: [
        { name: 'api', includeExecutablesFor: ['unix', 'windows'], applications: { duo: 'permanent' }, path: null, overlays: null, relTemplatesPath: null },
        { name: 'worker', includeExecutablesFor: ['unix'], applications: {}, path: null, overlays: ['rel/worker'], relTemplatesPath: null },
      ],
    },
  },
  {
    name: 'a plain OTP app without Phoenix',
    mixExs: `defmodule JobWorker.MixProject do
  use Mix.Project

  def project do
    [
      app: :job_worker,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [extra_applications: [:logger], mod: {JobWorker.Application, []}]
  end

  defp deps do
    []
  end
end
`,
    expected: { app: 'job_worker', deps: [], namespace: 'JobWorker', phoenix: false, ecto: false, releases: [] },
  },
  {
    name: 'an app name with digits',
    mixExs: `defmodule MyApp2.MixProject do
  use Mix.Project

  def application, do: [mod: {MyApp2.Application, []}]

  def project do
    [app: :my_app2, version: "0.1.0", deps: [{:phoenix, "~> 1.7"}, {:ecto_sqlite3, "~> 0.17"}, {:ecto_sql, "~> 3.12"}]]
  end
end
`,
    expected: { app: 'my_app2', namespace: 'MyApp2', phoenix: true, ecto: true, ectoAdapters: ['ecto_sqlite3'] },
  },
  {
    name: 'version interpolated from an attribute, deps chosen per env',
    mixExs: `defmodule Envy.MixProject do
  use Mix.Project

  def application, do: [mod: {Envy.Application, []}]

  @version "1.2.3"

  def project do
    [app: :envy, version: "#{@version}-rc.1", deps: deps(Mix.env())]
  end

  defp deps(:prod), do: [{:recon, "~> 2.5"}]
  defp deps(_env), do: [{:recon, "~> 2.5"}, {:mix_test_watch, "~> 1.1"}]
end
`,
    expected: { app: 'envy', version: '1.2.3-rc.1', deps: ['recon', 'mix_test_watch'] },
  },
  {
    name: 'deps bound to a variable and extended in an if',
    mixExs: `defmodule Branchy.MixProject do
  use Mix.Project

  def application, do: [mod: {Branchy.Application, []}]

  def project do
    [app: :branchy, version: File.read!("VERSION") |> String.trim(), deps: deps()]
  end

  defp deps do
    base = [{:phoenix, "~> 1.7"}, {:postgrex, ">= 0.0.0"}]

    if Mix.env() == :test do
      base ++ [{:mox, "~> 1.1"}]
    else
      base
    end
  end
end
`,
    files: { VERSION: '0.9.0\n' },
    expected: { app: 'branchy', version: null, deps: ['phoenix', 'postgrex', 'mox'], phoenix: true, ectoAdapters: ['postgrex'] },
  },
  {
    name: 'project() with parens, quoted keys, deps in an attribute',
    mixExs: `defmodule Quoted.MixProject do
  use Mix.Project

  def application, do: [mod: {QuotedKeys.Application, []}]

  @deps [
    {:plug, "~> 1.15"},
    {:ecto_sql, "~> 3.12"},
    {:tds, "~> 2.3"}
  ]

  def project() do
    ["app": :quoted_keys, "version": "3.0.0", elixir: "~> " <> "1.17", deps: @deps]
  end
end
`,
    expected: { app: 'quoted_keys', version: '3.0.0', elixirRequirement: '~> 1.17', deps: ['plug', 'ecto_sql', 'tds'], ecto: true, ectoAdapters: ['tds'] },
  },
  {
    name: 'Keyword.put_new keeps a key that is set and adds one that is not; Keyword.put replaces',
    mixExs: `defmodule PutNew.MixProject do
  use Mix.Project

  def application, do: [mod: {PutNew.Application, []}]

  def project do
    [app: :placeholder, version: "0.1.0"]
    |> Keyword.put_new(:version, "9.9.9")
    |> Keyword.put_new(:elixir, "~> 1.15")
    |> Keyword.put(:app, :put_new)
    |> Keyword.put(:deps, [{:jason, "~> 1.4"}])
  end
end
`,
    expected: { app: 'put_new', version: '0.1.0', elixirRequirement: '~> 1.15', deps: ['jason'], namespace: 'PutNew' },
  },
  {
    name: 'deps assembled with Enum.concat, List.flatten, Enum.reject, Enum.filter and Enum.uniq',
    mixExs: `defmodule Lists.MixProject do
  use Mix.Project

  def application, do: [mod: {Lists.Application, []}]

  def project, do: [app: :lists, version: "0.1.0", deps: deps()]

  defp deps do
    Enum.concat([base(), [{:plug, "~> 1.15"}]])
    |> Enum.concat([{:telemetry, "~> 1.2"}])
    |> Enum.reject(fn {name, _} -> name == :nothing end)
    |> Enum.filter(fn _ -> true end)
    |> Enum.uniq()
  end

  defp base, do: List.flatten([[{:jason, "~> 1.4"}], [[{:decimal, "~> 2.0"}]]])
end
`,
    expected: { app: 'lists', deps: ['jason', 'decimal', 'plug', 'telemetry'] },
  },
  {
    name: 'unless, in a do block with else and inline, on a known and an unknown condition',
    mixExs: `defmodule Unless.MixProject do
  use Mix.Project

  @windows false

  def application, do: [mod: {UnlessShape.Application, []}]

  def project do
    [app: :unless_shape, version: "0.1.0", deps: deps(), releases: [unless_shape: [include_executables_for: executables()]]]
  end

  defp executables, do: unless(@windows, do: [:unix], else: [:unix, :windows])

  defp deps do
    unless Mix.env() == :test do
      [{:jason, "~> 1.4"}]
    else
      [{:mox, "~> 1.1"}]
    end
  end
end
`,
    expected: {
      app: 'unless_shape',
      // Every environment's deps: both branches.
      deps: ['jason', 'mox'],
      releases: [{ name: 'unless_shape', includeExecutablesFor: ['unix'], applications: {}, path: null, overlays: null, relTemplatesPath: null }],
    },
  },
];
