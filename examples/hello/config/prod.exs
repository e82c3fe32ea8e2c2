import Config

config :hello, HelloWeb.Endpoint, cache_static_manifest: "priv/static/cache_manifest.json"

config :swoosh, api_client: Swoosh.ApiClient.Finch, finch_name: Hello.Finch
config :swoosh, local: false

config :logger, level: :info
