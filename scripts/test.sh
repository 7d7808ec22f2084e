#!/usr/bin/env bash
# Runs every test of the product on a fresh Debian machine, installing what the tests need first:
# Chromium (browser tests), qpdf, poppler-utils and PDFBox preflight (PDF checks), the dotnet-ef tool, NuGet packages,
# and dockerfilelint (npm). Starts a throwaway PostgreSQL 15 cluster (initdb + pg_ctl in a temporary folder on a free
# port; stopped on exit) and gives the tests its connection string in COMPLIANCE_TEST_POSTGRES.
# Prints one closing line: "N passed, N failed".
#
#   scripts/test.sh              everything
#   scripts/test.sh --quick      skip installs, the Dockerfile lint and the publish check
set -uo pipefail
cd "$(dirname "$0")/.."
quick=false; [[ "${1:-}" == "--quick" ]] && quick=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
passed=0; failed=0
out=.ci/out; rm -rf "$out"; mkdir -p "$out"

check() { # name, command...: a named check counted as one test
  local name=$1; shift
  if "$@" >"$out/$name.log" 2>&1; then passed=$((passed+1)); echo "check passed: $name"
  else failed=$((failed+1)); echo "check FAILED: $name"; tail -40 "$out/$name.log"; fi
}

if ! $quick; then
  need=()
  # python3-aiosmtpd: the real SMTP server the email tests start. PDF/A: PDFBox preflight runs on a JRE and needs the activation and JAXB APIs beside it; openssl is the test TSA.
  for p in chromium python3-aiosmtpd qpdf poppler-utils fonts-liberation2 openssl default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  if ((${#need[@]})); then
    echo "installing ${need[*]}"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

# PostgreSQL: the production engine the integration tests also run on. Debian's package ships the binaries; no cluster
# runs by default, and initdb refuses root, so as root the cluster belongs to the postgres user.
pgbin=/usr/lib/postgresql/15/bin
if [[ ! -x $pgbin/initdb ]] && ! $quick; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
if [[ -x $pgbin/initdb ]]; then
  pgdir=$(mktemp -d); pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg() { if [[ $(id -u) -eq 0 ]]; then su postgres -c "$*"; else bash -c "$*"; fi; }
  [[ $(id -u) -eq 0 ]] && chown postgres "$pgdir"
  as_pg "$pgbin/initdb -D $pgdir/data -A trust -U postgres --no-sync >/dev/null" &&
    as_pg "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/log -w start -o \"-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off\" >/dev/null" ||
    { echo "could not start the test PostgreSQL cluster: see $pgdir/log"; cat "$pgdir/log" 2>/dev/null | tail -20; echo "0 passed, 1 failed"; exit 1; }
  trap 'as_pg "$pgbin/pg_ctl -D $pgdir/data -m immediate stop" >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
  export COMPLIANCE_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
  echo "PostgreSQL test cluster on port $pgport"
else
  echo "PostgreSQL 15 is not installed ($pgbin): the PostgreSQL tests will fail saying so"
fi

dotnet tool restore >/dev/null
if ! dotnet build Compliance.sln -c Release -nologo -v q >"$out/build.log" 2>&1; then
  grep -E "error|warn" "$out/build.log" | sort -u | head -40
  echo "the build failed (warnings are errors): see above"; echo "0 passed, 1 failed"; exit 1
fi

check migration-scripts-are-current bash -c 'scripts/migration.sh --script && git diff --exit-code -- db/sqlserver/compliance.sql db/postgresql/compliance.sql'
check benchmarks-smoke dotnet run -c Release --no-build --project tests/Compliance.Benchmarks -- all --smoke
if ! $quick; then
  check dockerfile-lint npx --yes dockerfilelint@1.8.0 Dockerfile
  check publish dotnet publish src/Compliance.Web/Compliance.Web.csproj -c Release -o "$out/publish" -nologo -v q
fi

for project in tests/Compliance.Tests tests/Compliance.Components.Tests tests/Compliance.EndToEnd.Tests; do
  [[ -d "$project" ]] || continue
  name=$(basename "$project")
  dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$out" 2>&1 | tee "$out/$name.log" | grep -E "^\s*(Failed|Passed!|Failed!|error)" || true
  summary=$(grep -E "(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+" "$out/$name.log" | tail -1)
  if [[ -z "$summary" ]]; then
    echo "$name: no test summary (the test host crashed or nothing ran)"; failed=$((failed+1)); continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary"); p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
  passed=$((passed+p)); failed=$((failed+f))
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
