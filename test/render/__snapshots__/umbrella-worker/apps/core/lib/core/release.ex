defmodule Acme.Core.Release do
  @moduledoc """
  Database tasks for the release, where Mix is not available.

  Call them through the release's `eval` command:

      bin/worker eval "Acme.Core.Release.migrate"
      bin/worker eval "Acme.Core.Release.rollback(Acme.Core.Repo, 20240101000000)"

  `bin/migrate` runs the first one.
  """
  @app :core

  @doc "Runs every pending migration of every repo in `:ecto_repos`."
  def migrate do
    load_app()

    for repo <- repos() do
      {:ok, _, _} = Ecto.Migrator.with_repo(repo, &Ecto.Migrator.run(&1, :up, all: true))
    end
  end

  @doc "Rolls `repo` back, down to and including the migration `version`."
  def rollback(repo, version) do
    load_app()
    {:ok, _, _} = Ecto.Migrator.with_repo(repo, &Ecto.Migrator.run(&1, :down, to: version))
  end

  defp repos do
    Application.fetch_env!(@app, :ecto_repos)
  end

  defp load_app do
    # Managed databases usually require SSL, and :ssl must be started before connecting.
    Application.ensure_all_started(:ssl)
    # Load the app (for its configuration) without starting its supervision tree.
    Application.ensure_loaded(@app)
  end
end
