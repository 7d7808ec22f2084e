#!/usr/bin/env bash
# Adds a migration to both provider sets and regenerates the idempotent SQL Server script.
#   scripts/migration.sh AddSomething     add a migration named AddSomething
#   scripts/migration.sh --script         only regenerate db/sqlserver/compliance.sql
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
if [[ "${1:-}" != "--script" ]]; then
  name="${1:?usage: scripts/migration.sh Name | --script}"
  for p in Sqlite SqlServer; do
    dotnet ef migrations add "$name" --project "db/Compliance.Migrations.$p" --startup-project "db/Compliance.Migrations.$p" -o Migrations
  done
fi
# Build first: a script made with --no-build right after 'migrations add' is stale.
dotnet build db/Compliance.Migrations.SqlServer -v q -nologo >/dev/null
mkdir -p db/sqlserver
dotnet ef migrations script --idempotent --no-build \
  --project db/Compliance.Migrations.SqlServer --startup-project db/Compliance.Migrations.SqlServer \
  -o db/sqlserver/compliance.sql
