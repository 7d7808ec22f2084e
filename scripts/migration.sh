#!/usr/bin/env bash
# Adds a migration to the three provider sets and regenerates the idempotent SQL Server and PostgreSQL scripts.
#   scripts/migration.sh AddSomething     add a migration named AddSomething
#   scripts/migration.sh --script         only regenerate db/sqlserver/compliance.sql and db/postgresql/compliance.sql
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
if [[ "${1:-}" != "--script" ]]; then
  name="${1:?usage: scripts/migration.sh Name | --script}"
  for p in Sqlite SqlServer PostgreSql; do
    dotnet ef migrations add "$name" --project "db/Compliance.Migrations.$p" --startup-project "db/Compliance.Migrations.$p" -o Migrations
  done
fi
# Build first: a script made with --no-build right after 'migrations add' is stale.
for p in SqlServer:sqlserver PostgreSql:postgresql; do
  project="db/Compliance.Migrations.${p%%:*}"; folder="db/${p##*:}"
  dotnet build "$project" -v q -nologo >/dev/null
  mkdir -p "$folder"
  dotnet ef migrations script --idempotent --no-build --project "$project" --startup-project "$project" -o "$folder/compliance.sql"
done
